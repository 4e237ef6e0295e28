#!/bin/sh
# Re-vendor web/static/files/ from the pinned npm packages.
#
# All npm work happens in a scratch directory under /tmp; nothing is installed
# inside the Go module. Needs node (>= 20.19) and npm.
#
#   sh web/static/build/revendor.sh
#
# To move to new versions: edit the pins in package.json (and govuk-frontend.scss
# if its settings changed), run `npm install --omit-lockfile-registry-resolved
# --ignore-scripts` in a scratch copy, copy the new package-lock.json back here,
# then run this script and update ../README.md.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
files=$(cd "$here/../files" && pwd)
tmp=$(mktemp -d /tmp/linkwork-static.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$here/package.json" "$here/package-lock.json" "$here/.browserslistrc" \
  "$here/govuk-frontend.scss" "$here/build.mjs" "$tmp/"
cd "$tmp"
npm ci --no-audit --no-fund --ignore-scripts
node build.mjs "$files"

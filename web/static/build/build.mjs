// Builds web/static/files/ from the pinned npm packages in node_modules.
// Usage (from a scratch copy of this directory, after `npm ci`):
//   node build.mjs OUTDIR      (OUTDIR = .../web/static/files)
import { readFile, writeFile, copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import * as sass from 'sass'
import postcss from 'postcss'
import autoprefixer from 'autoprefixer'
import cssnano from 'cssnano'
import cssnanoPresetDefault from 'cssnano-preset-default'

const out = process.argv[2]
if (!out) {
  console.error('usage: node build.mjs OUTDIR')
  process.exit(2)
}

// Unbranded: drop the footer's Royal Arms crest (.govuk-footer__copyright-logo::before),
// the only image the stylesheet references. We do not ship the crest.
const dropCrest = {
  postcssPlugin: 'linkwork-drop-crest',
  Rule (rule) {
    if (rule.selectors.every((s) => s.includes('govuk-footer__copyright-logo::before'))) {
      rule.remove()
    }
  }
}

const scss = sass.compile('govuk-frontend.scss', {
  loadPaths: ['node_modules'],
  style: 'expanded',
  sourceMap: false,
  quietDeps: true
})
const result = await postcss([
  autoprefixer({ env: 'stylesheets' }),
  dropCrest,
  cssnano({ preset: cssnanoPresetDefault({ env: 'stylesheets', cssDeclarationSorter: false }) })
]).process(scss.css, { from: undefined, map: false })
for (const w of result.warnings()) console.warn(w.toString())

// Dart Sass >= 1.10x decodes the IE hacks `screen\0` / `0\0` into U+FFFD;
// put the escape back so the output matches the upstream build byte for byte
// in those rules (either way, no modern browser matches them).
const css = result.css.replaceAll('\uFFFD', '\\0')
for (const bad of ['@font-face', 'GDS Transport', 'govuk-crest', 'url(/assets/']) {
  if (css.includes(bad)) throw new Error(`built CSS still contains ${bad}`)
}

const gf = join(out, 'govuk-frontend')
await mkdir(gf, { recursive: true })
await writeFile(join(gf, 'govuk-frontend.min.css'), css + '\n')
await copyFile('node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js', join(gf, 'govuk-frontend.min.js'))
console.log(`wrote ${gf}`)

// LinkWork front-end bootstrap. Load with <script type="module">.
//
// GOV.UK Frontend only styles and initialises its JavaScript components when
// <body> has the class `govuk-frontend-supported`. Its page template adds that
// class from an inline script, which our Content-Security-Policy forbids, so we
// add it here. A module script only runs in browsers with ES module support,
// which is the very test the inline snippet makes ('noModule' in
// HTMLScriptElement.prototype).
//
// The import is relative so it resolves against this file's own URL, hashed or
// not: /static/govuk-frontend/govuk-frontend.min.js (served with no-cache).
import { initAll } from './govuk-frontend/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

// "Print this guide" buttons (inline handlers are not allowed by our CSP).
document.addEventListener('click', (event) => {
  const el = event.target instanceof Element ? event.target.closest('[data-lw-print]') : null
  if (el) window.print()
})

// Mark the body as script-enabled before first paint (the GOV.UK Frontend convention),
// from a file rather than inline so the Content-Security-Policy forbids inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

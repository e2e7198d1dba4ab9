/**
 * The console page's Content-Security-Policy: scripts, styles and fetches from this origin only
 * (no inline script or style element, no eval, no CDN), nothing framed, no forms elsewhere.
 * Inline style *properties* set by script (element.style) are not governed by style-src.
 */
export const consoleCsp = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

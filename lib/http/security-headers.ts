/**
 * The Content-Security-Policy of every page, with the request's nonce (Next.js puts it on its
 * own scripts: proxy.ts passes the policy in the request headers, as Next's CSP guide shows).
 *
 * - Scripts: only those carrying this request's nonce, and what they load ('strict-dynamic').
 *   No 'unsafe-inline', no 'unsafe-eval' (production React and Next need neither).
 * - Styles: 'self' plus inline styles. xterm.js and Recharts set element styles and xterm adds
 *   <style> elements at run time, which cannot carry a nonce; styles cannot run code.
 * - Everything else from our own origin only; no plugins, no framing, no <base> tricks.
 */
export function contentSecurityPolicy(nonce: string, options: { https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** HSTS for a year once the public URL is HTTPS (browsers ignore it over plain HTTP anyway). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

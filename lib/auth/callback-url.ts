/** Any fixed origin works: only whether the parsed URL stays on it matters. */
const BASE = "http://kubeprep.invalid";

/**
 * Only same-site paths may be redirected to after sign-in (no open redirects). The value is
 * parsed the way the browser will parse it (WHATWG URL: tabs and newlines are stripped, `\` is
 * `/`), and only a result on our own origin whose path starts with a single `/` is kept.
 */
export function safeCallbackUrl(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || value.length > 2048 || !value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || !url.pathname.startsWith("/") || url.pathname.startsWith("//")) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (/^\/(signin|signup|api\/)/.test(path)) return fallback;
  return path;
}

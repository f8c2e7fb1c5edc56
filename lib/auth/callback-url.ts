/** Only same-site paths may be redirected to after sign-in (no open redirects). */
export function safeCallbackUrl(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (value.startsWith("/signin") || value.startsWith("/signup") || value.startsWith("/api/")) return fallback;
  return value.slice(0, 2048);
}

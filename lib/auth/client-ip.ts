/**
 * The client address, as computed by the server entry (scripts/server.ts), which overwrites
 * this header on every request: from the socket, or from X-Forwarded-For behind TRUST_PROXY
 * hops. A client cannot set it.
 */
export const CLIENT_IP_HEADER = "x-kubeprep-client-ip";

type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export function clientIpFrom(headers: HeaderBag): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers[CLIENT_IP_HEADER];
  const ip = Array.isArray(value) ? value[0] : value;
  return ip && ip.length <= 64 ? ip : "unknown";
}

/** Which X-Forwarded-For entry is the client when `trustedHops` proxies sit in front. */
export function resolveClientIp(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const remote = socketAddress ?? "unknown";
  if (trustedHops <= 0 || !forwardedFor) return remote;
  const entries = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Each trusted proxy appends the address it saw; the last `trustedHops` entries are theirs.
  return entries[entries.length - trustedHops] ?? remote;
}

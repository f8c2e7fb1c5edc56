/**
 * Go's net/url path escaping (url.go, shouldEscape with encodePath): what client-go puts in a request
 * path for an object name, and how the apiserver's net/http gets `URL.Path` back from the wire.
 */

/** url.URL.EscapedPath for one segment: unreserved characters and `$&+,/:;=@` stay; other bytes are %XX. */
export function goPathEscape(segment: string): string {
  let out = "";
  for (const byte of Buffer.from(segment, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~$&+,/:;=@]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * url.Parse's unescape of a request path: every %XX becomes its byte (bytes that are not UTF-8 print as
 * U+FFFD here); a `%` not followed by two hex digits is an error, which net/http answers with 400.
 */
export function goPathUnescape(escaped: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(escaped)) return undefined;
  if (!escaped.includes("%")) return escaped;
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === "%") {
      bytes.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(escaped[i] ?? "", "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

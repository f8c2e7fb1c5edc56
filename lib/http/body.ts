/**
 * The one way route handlers read a request body. Bytes are counted as they arrive (a declared
 * Content-Length and a chunked body alike): at the limit reading stops and a 413 is thrown, so a
 * body never costs more memory than its route allows. JSON routes refuse other content types (415)
 * before reading anything, which also keeps cross-site form posts (text/plain, form-encoded) out.
 *
 * When the limit is hit the rest of the body is left unread, not cancelled: cancelling would
 * destroy the socket before the 413 is written. The server entry (lib/http/node-server.ts) closes
 * such a connection once the response is out.
 */
import { z } from "zod";
import { DomainError } from "./errors";

function tooLarge(maxBytes: number): DomainError {
  return new DomainError(413, `The request body is too large: this endpoint accepts at most ${maxBytes} bytes.`);
}

/** The media type of a Content-Type header, lower-cased and without parameters ("" when absent). */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Refuses (415) a body whose media type is not one of `accepted`. */
export function requireContentType(request: Request, accepted: readonly string[]): void {
  const type = mediaType(request);
  if (!accepted.includes(type)) {
    throw new DomainError(415, `Unsupported content type ${type === "" ? "(none)" : JSON.stringify(type)}: send ${accepted.join(" or ")}.`);
  }
}

/** The raw body, at most `maxBytes` of it; 413 as soon as it is larger. */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) throw tooLarge(maxBytes);
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new DomainError(400, "The request body is not valid UTF-8.");
  }
}

/** Parses a JSON request body with a size cap and a schema; 415/413/400/422 on bad input. */
export async function readJson<S extends z.ZodType>(request: Request, schema: S, maxBytes = 64 * 1024): Promise<z.output<S>> {
  requireContentType(request, ["application/json"]);
  const text = decode(await readBody(request, maxBytes));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError(400, "The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new DomainError(422, "Invalid input.", z.flattenError(parsed.error).fieldErrors);
  return parsed.data;
}

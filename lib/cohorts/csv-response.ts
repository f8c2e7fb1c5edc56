import "server-only";

/** A streamed CSV download: UTF-8, never cached, saved under `filename`. */
export function csvResponse(stream: ReadableStream<Uint8Array>, filename: string): Response {
  const ascii = filename.replace(/[^A-Za-z0-9._-]/g, "_");
  return new Response(stream, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

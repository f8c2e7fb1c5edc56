/** The most one heartbeat may add, whatever the browser claims; the client beats every 30 s. */
export const MAX_HEARTBEAT_SECONDS = 60;
export const HEARTBEAT_INTERVAL_MS = 30_000;

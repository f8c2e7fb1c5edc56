/** Go's time formats that reach learners: %v of a time.Time, and RFC1123Z. */

function two(value: number): string {
  return String(value).padStart(2, "0");
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Go time.RFC1123Z in UTC: "Wed, 01 Jan 2025 00:00:00 +0000". */
export function rfc1123z(date: Date): string {
  return `${DAYS[date.getUTCDay()] ?? ""}, ${two(date.getUTCDate())} ${MONTHS[date.getUTCMonth()] ?? ""} ${date.getUTCFullYear()} ${two(date.getUTCHours())}:${two(
    date.getUTCMinutes(),
  )}:${two(date.getUTCSeconds())} +0000`;
}

/** Go's zero time.Time printed with %v (a token without `exp`). */
export const GO_ZERO_TIME = "0001-01-01 00:00:00 +0000 UTC";

/**
 * fmt %v of a time.Time in UTC: `2006-01-02 15:04:05.999999999 +0000 UTC`.
 * The kube-apiserver runs with TZ=UTC in the usual images, hence the fixed zone.
 */
export function goTime(date: Date): string {
  if (!Number.isFinite(date.getTime())) return GO_ZERO_TIME;
  const base =
    `${String(date.getUTCFullYear()).padStart(4, "0")}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  const millis = date.getUTCMilliseconds();
  const fraction = millis === 0 ? "" : `.${String(millis).padStart(3, "0").replace(/0+$/, "")}`;
  return `${base}${fraction} +0000 UTC`;
}

/** Seconds since the epoch as Go's time.Unix(sec, 0) printed with %v. */
export function goUnixTime(seconds: number): string {
  return goTime(new Date(Math.trunc(seconds) * 1000));
}

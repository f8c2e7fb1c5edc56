/** date, env/printenv, whoami, id, hostname, uname, clear, sleep, true/false, and the editors. */
import type { CommandHandler } from "../types";
import { fail, ok } from "./util";

/** What the terminal gets for `clear`: cursor home, clear screen, clear scrollback. */
export const CLEAR_SCREEN = "\u001b[H\u001b[2J\u001b[3J";

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

const pad = (n: number, width = 2, fill = "0"): string => String(n).padStart(width, fill);

/** strftime over UTC, the specifiers GNU date users reach for. */
export function formatDate(date: Date, format: string): string {
  const day = date.getUTCDay();
  const month = date.getUTCMonth();
  const startOfYear = Date.UTC(date.getUTCFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - startOfYear) / 86_400_000) + 1;
  const hours12 = date.getUTCHours() % 12 === 0 ? 12 : date.getUTCHours() % 12;
  const specifiers: Record<string, () => string> = {
    a: () => (DAYS[day] ?? "").slice(0, 3),
    A: () => DAYS[day] ?? "",
    b: () => (MONTHS[month] ?? "").slice(0, 3),
    h: () => (MONTHS[month] ?? "").slice(0, 3),
    B: () => MONTHS[month] ?? "",
    c: () => formatDate(date, "%a %b %e %H:%M:%S %Y"),
    C: () => pad(Math.floor(date.getUTCFullYear() / 100)),
    d: () => pad(date.getUTCDate()),
    D: () => formatDate(date, "%m/%d/%y"),
    e: () => pad(date.getUTCDate(), 2, " "),
    F: () => formatDate(date, "%Y-%m-%d"),
    H: () => pad(date.getUTCHours()),
    I: () => pad(hours12),
    j: () => pad(dayOfYear, 3),
    k: () => pad(date.getUTCHours(), 2, " "),
    l: () => pad(hours12, 2, " "),
    m: () => pad(month + 1),
    M: () => pad(date.getUTCMinutes()),
    n: () => "\n",
    N: () => pad(date.getUTCMilliseconds() * 1_000_000, 9),
    p: () => (date.getUTCHours() < 12 ? "AM" : "PM"),
    P: () => (date.getUTCHours() < 12 ? "am" : "pm"),
    r: () => formatDate(date, "%I:%M:%S %p"),
    R: () => formatDate(date, "%H:%M"),
    s: () => String(Math.floor(date.getTime() / 1000)),
    S: () => pad(date.getUTCSeconds()),
    t: () => "\t",
    T: () => formatDate(date, "%H:%M:%S"),
    u: () => String(day === 0 ? 7 : day),
    w: () => String(day),
    x: () => formatDate(date, "%m/%d/%y"),
    X: () => formatDate(date, "%H:%M:%S"),
    y: () => pad(date.getUTCFullYear() % 100),
    Y: () => String(date.getUTCFullYear()),
    z: () => "+0000",
    Z: () => "UTC",
    "%": () => "%",
  };
  return format.replace(/%(:?)([A-Za-z%])/g, (all, colon: string, letter: string) => {
    if (colon === ":" && letter === "z") return "+00:00";
    const spec = specifiers[letter];
    return spec ? spec() : all;
  });
}

/** The `-d` strings people type: now, today, yesterday, tomorrow, @EPOCH, ISO dates, "+N unit", "N unit ago". */
export function parseDateString(text: string, now: Date): Date | undefined {
  const input = text.trim().toLowerCase();
  if (input === "" || input === "now" || input === "today") return new Date(now);
  if (input === "yesterday") return new Date(now.getTime() - 86_400_000);
  if (input === "tomorrow") return new Date(now.getTime() + 86_400_000);
  const epoch = /^@(-?\d+(?:\.\d+)?)$/.exec(input);
  if (epoch) return new Date(Number(epoch[1]) * 1000);
  const units: Record<string, number> = {
    sec: 1000,
    second: 1000,
    min: 60_000,
    minute: 60_000,
    hour: 3_600_000,
    day: 86_400_000,
    week: 604_800_000,
    month: 2_592_000_000,
    year: 31_536_000_000,
  };
  const relative = /^(?:(now|today)\s*)?([+-]?\s*\d+)\s*(sec|second|min|minute|hour|day|week|month|year)s?(\s+ago)?$/.exec(input);
  if (relative) {
    const amount = Number((relative[2] ?? "0").replace(/\s/g, ""));
    const unit = units[relative[3] ?? "day"] ?? 86_400_000;
    const sign = relative[4] ? -1 : 1;
    if (relative[3] === "month" || relative[3] === "year") {
      const result = new Date(now);
      if (relative[3] === "month") result.setUTCMonth(result.getUTCMonth() + sign * amount);
      else result.setUTCFullYear(result.getUTCFullYear() + sign * amount);
      return result;
    }
    return new Date(now.getTime() + sign * amount * unit);
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[t ](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(z|utc|[+-]\d{2}:?\d{2})?$/.exec(input);
  if (iso) {
    const offsetText = iso[7];
    let offsetMinutes = 0;
    if (offsetText && offsetText !== "z" && offsetText !== "utc") {
      const digits = offsetText.replace(":", "");
      offsetMinutes = (digits.startsWith("-") ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    const ms =
      Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)) -
      offsetMinutes * 60_000;
    return Number.isFinite(ms) ? new Date(ms) : undefined;
  }
  const parsed = Date.parse(text);
  return Number.isFinite(parsed) ? new Date(parsed) : undefined;
}

export const date: CommandHandler = async ({ args, now }) => {
  let when = new Date(now);
  let format = "%a %b %e %H:%M:%S %Z %Y";
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? "";
    if (arg === "-u" || arg === "--utc" || arg === "--universal") continue;
    if (arg === "-d" || arg === "--date" || arg.startsWith("--date=") || (arg.startsWith("-d") && arg.length > 2)) {
      const value = arg === "-d" || arg === "--date" ? args[++i] : arg.startsWith("--date=") ? arg.slice(7) : arg.slice(2);
      if (value === undefined) return fail("date: option requires an argument -- 'd'\nTry 'date --help' for more information.");
      const parsed = parseDateString(value, now);
      if (!parsed) return fail(`date: invalid date \u2018${value}\u2019`);
      when = parsed;
    } else if (arg.startsWith("+")) format = arg.slice(1);
    else if (arg === "-I" || arg.startsWith("--iso-8601") || arg.startsWith("-I")) {
      const precision = arg.includes("=")
        ? arg.slice(arg.indexOf("=") + 1)
        : arg.startsWith("-I") && arg.length > 2
          ? arg.slice(2)
          : "date";
      format = precision.startsWith("s")
        ? "%Y-%m-%dT%H:%M:%S%:z"
        : precision.startsWith("m")
          ? "%Y-%m-%dT%H:%M%:z"
          : precision.startsWith("h")
            ? "%Y-%m-%dT%H%:z"
            : "%Y-%m-%d";
    } else if (arg === "-R" || arg === "--rfc-email") format = "%a, %d %b %Y %H:%M:%S %z";
    else if (arg.startsWith("--rfc-3339=")) format = arg.endsWith("date") ? "%Y-%m-%d" : "%Y-%m-%d %H:%M:%S%:z";
    else
      return fail(
        arg.startsWith("-")
          ? `date: invalid option -- '${arg.slice(1, 2)}'\nTry 'date --help' for more information.`
          : `date: invalid date \u2018${arg}\u2019`,
      );
  }
  return ok(`${formatDate(when, format)}\n`);
};

export const env: CommandHandler = async ({ args, env: variables }) => {
  if (args.length > 0 && !args.every((arg) => arg === "-0" || /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg))) {
    return fail("env: running commands through env is not supported in this practice shell; run the command directly", 125);
  }
  const all = { ...variables };
  for (const arg of args) {
    const eq = arg.indexOf("=");
    if (eq > 0) all[arg.slice(0, eq)] = arg.slice(eq + 1);
  }
  return ok(formatEnv(all));
};

function formatEnv(all: Record<string, string>): string {
  return Object.keys(all)
    .sort()
    .map((key) => `${key}=${all[key] ?? ""}\n`)
    .join("");
}

export const printenv: CommandHandler = async ({ args, env: variables }) => {
  if (args.length === 0) return ok(formatEnv(variables));
  let stdout = "";
  let missing = false;
  for (const name of args) {
    const value = variables[name];
    if (value === undefined) missing = true;
    else stdout += `${value}\n`;
  }
  return { stdout, stderr: "", exitCode: missing ? 1 : 0 };
};

export const whoami: CommandHandler = async ({ env: variables }) => ok(`${variables.USER ?? "student"}\n`);

export const id: CommandHandler = async ({ env: variables }) => {
  const user = variables.USER ?? "student";
  return ok(`uid=1000(${user}) gid=1000(${user}) groups=1000(${user})\n`);
};

export const hostname: CommandHandler = async ({ env: variables }) => ok(`${variables.HOSTNAME ?? "controlplane"}\n`);

export const uname: CommandHandler = async ({ args }) => {
  if (args.includes("-a")) return ok("Linux controlplane 6.8.0-kubeprep #1 SMP x86_64 x86_64 x86_64 GNU/Linux\n");
  if (args.includes("-r")) return ok("6.8.0-kubeprep\n");
  if (args.includes("-m")) return ok("x86_64\n");
  return ok("Linux\n");
};

export const clear: CommandHandler = async () => ok(CLEAR_SCREEN);

export const sleep: CommandHandler = async ({ args }) => {
  if (args.length === 0) return fail("sleep: missing operand\nTry 'sleep --help' for more information.");
  const bad = args.find((arg) => !/^\d+(\.\d+)?[smhd]?$/.test(arg));
  if (bad !== undefined) return fail(`sleep: invalid time interval \u2018${bad}\u2019\nTry 'sleep --help' for more information.`);
  // The scenario clock only moves through the scenario controls; sleeping returns at once.
  return ok();
};

export const trueCommand: CommandHandler = async () => ok();
export const falseCommand: CommandHandler = async () => ({ stdout: "", stderr: "", exitCode: 1 });

/** vi / vim / nano: the terminal opens its editor panel with the file's current content. */
export function editor(name: string): CommandHandler {
  return async ({ args, fs }) => {
    const files = args.filter((arg) => !arg.startsWith("-") && !arg.startsWith("+"));
    const file = files[0];
    if (file === undefined) return fail(`${name}: give a file name, e.g. \`${name} pod.yaml\` (the editor panel edits one file)`);
    if (fs.isDirectory(file)) return fail(`${name}: ${file}: Is a directory`);
    const path = fs.resolve(file);
    const read = fs.readFile(file);
    if (!read.ok && read.error !== "No such file or directory") return fail(`${name}: ${file}: ${read.error}`);
    return {
      stdout: "",
      stderr: "",
      exitCode: 0,
      openEditor: { path, content: read.ok ? read.content : "", keys: name === "nano" ? "plain" : "vi" },
    };
  };
}

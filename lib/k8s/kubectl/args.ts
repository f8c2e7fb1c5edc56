/**
 * pflag-style parsing as cobra does it for kubectl: interspersed flags, `--flag=value`, `--flag value`,
 * `-n value`, `-nvalue`, `-n=value`, grouped bool shorthands, `--` ends flags. Error texts are pflag's.
 */

export type FlagKind = "string" | "bool" | "stringArray" | "int";

export interface FlagSpec {
  name: string;
  short?: string;
  kind: FlagKind;
  /** pflag's NoOptDefVal: `--flag` alone takes this value and never consumes the next argument (`--dry-run`). */
  noOptValue?: string;
}

export interface ParsedArgs {
  positional: string[];
  /** Every value a flag received, in order (bool flags: "true"/"false"). */
  flags: Map<string, string[]>;
  /** cobra's ArgsLenAtDash: how many positional arguments came before `--` (absent: no `--`). */
  argsLenAtDash?: number;
}

export type ParseResult = { ok: true; parsed: ParsedArgs } | { ok: false; error: string };

/** Persistent flags of the kubectl root command (genericclioptions.ConfigFlags and friends). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "kubeconfig", kind: "string" },
  { name: "context", kind: "string" },
  { name: "cluster", kind: "string" },
  { name: "user", kind: "string" },
  { name: "namespace", short: "n", kind: "string" },
  { name: "server", short: "s", kind: "string" },
  { name: "token", kind: "string" },
  { name: "as", kind: "string" },
  { name: "as-group", kind: "stringArray" },
  { name: "as-uid", kind: "string" },
  { name: "certificate-authority", kind: "string" },
  { name: "client-certificate", kind: "string" },
  { name: "client-key", kind: "string" },
  { name: "insecure-skip-tls-verify", kind: "bool" },
  { name: "tls-server-name", kind: "string" },
  { name: "request-timeout", kind: "string" },
  { name: "cache-dir", kind: "string" },
  { name: "username", kind: "string" },
  { name: "password", kind: "string" },
  { name: "match-server-version", kind: "bool" },
  { name: "disable-compression", kind: "bool" },
  { name: "warnings-as-errors", kind: "bool" },
  { name: "v", short: "v", kind: "string" },
  { name: "vmodule", kind: "string" },
  { name: "log-flush-frequency", kind: "string" },
  { name: "profile", kind: "string" },
  { name: "profile-output", kind: "string" },
  { name: "help", short: "h", kind: "bool" },
];

function parseBool(text: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(text)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(text)) return false;
  return undefined;
}

export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParseResult {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short !== undefined).map((spec) => [spec.short ?? "", spec]));
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const set = (spec: FlagSpec, value: string, flagText: string): string | undefined => {
    if (spec.kind === "bool") {
      const parsed = parseBool(value);
      if (parsed === undefined)
        return `invalid argument "${value}" for "${flagText}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`;
      value = String(parsed);
    }
    if (spec.kind === "int" && !/^-?[0-9]+$/.test(value)) {
      return `invalid argument "${value}" for "${flagText}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`;
    }
    const values = flags.get(spec.name);
    if (values === undefined) flags.set(spec.name, [value]);
    else values.push(value);
    return undefined;
  };

  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? "";
    if (arg === "--") {
      const argsLenAtDash = positional.length;
      positional.push(...args.slice(index + 1));
      return { ok: true, parsed: { positional, flags, argsLenAtDash } };
    }
    if (arg.startsWith("--") && arg.length > 2) {
      const body = arg.slice(2);
      const equals = body.indexOf("=");
      const name = equals === -1 ? body : body.slice(0, equals);
      const spec = byName.get(name);
      if (spec === undefined) return { ok: false, error: `unknown flag: --${name}` };
      let value: string | undefined = equals === -1 ? undefined : body.slice(equals + 1);
      if (value === undefined) {
        if (spec.kind === "bool") value = "true";
        else if (spec.noOptValue !== undefined) value = spec.noOptValue;
        else if (index + 1 < args.length) {
          index += 1;
          value = args[index] ?? "";
        } else return { ok: false, error: `flag needs an argument: --${name}` };
      }
      const error = set(spec, value, `--${name}`);
      if (error !== undefined) return { ok: false, error };
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      let rest = arg.slice(1);
      while (rest.length > 0) {
        const short = rest[0] ?? "";
        rest = rest.slice(1);
        const spec = byShort.get(short);
        if (spec === undefined) return { ok: false, error: `unknown shorthand flag: '${short}' in ${arg}` };
        const flagText = `-${short}, --${spec.name}`;
        if (spec.kind === "bool") {
          let value = "true";
          if (rest.startsWith("=")) {
            value = rest.slice(1);
            rest = "";
          }
          const error = set(spec, value, flagText);
          if (error !== undefined) return { ok: false, error };
          continue;
        }
        let value: string;
        if (rest.startsWith("=")) value = rest.slice(1);
        else if (rest.length > 0) value = rest;
        else if (index + 1 < args.length) {
          index += 1;
          value = args[index] ?? "";
        } else return { ok: false, error: `flag needs an argument: '${short}' in -${short}` };
        rest = "";
        const error = set(spec, value, flagText);
        if (error !== undefined) return { ok: false, error };
      }
      continue;
    }
    positional.push(arg);
  }
  return { ok: true, parsed: { positional, flags } };
}

/** Whether the token at `index` consumes the next argument as its value (used to find the command path). */
export function takesSeparateValue(arg: string, specs: readonly FlagSpec[]): boolean {
  if (arg.startsWith("--")) {
    if (arg.includes("=")) return false;
    const spec = specs.find((candidate) => candidate.name === arg.slice(2));
    return spec !== undefined && spec.kind !== "bool" && spec.noOptValue === undefined;
  }
  if (arg.startsWith("-") && arg.length === 2) {
    const spec = specs.find((candidate) => candidate.short === arg.slice(1));
    return spec !== undefined && spec.kind !== "bool";
  }
  return false;
}

export class Flags {
  constructor(private readonly parsed: ParsedArgs) {}

  /** The same flags without some names: persistent flags a command shadows with its own (create rolebinding --user). */
  without(names: readonly string[]): Flags {
    const flags = new Map([...this.parsed.flags].filter(([name]) => !names.includes(name)));
    return new Flags({ ...this.parsed, flags });
  }

  get positional(): string[] {
    return this.parsed.positional;
  }

  /** cobra's ArgsLenAtDash: -1 without `--`. */
  get argsLenAtDash(): number {
    return this.parsed.argsLenAtDash ?? -1;
  }

  has(name: string): boolean {
    return this.parsed.flags.has(name);
  }

  string(name: string, fallback = ""): string {
    const values = this.parsed.flags.get(name);
    return values === undefined ? fallback : (values[values.length - 1] ?? fallback);
  }

  optional(name: string): string | undefined {
    const values = this.parsed.flags.get(name);
    return values === undefined ? undefined : values[values.length - 1];
  }

  bool(name: string): boolean {
    return this.string(name, "false") === "true";
  }

  /** stringArray values; for comma-separated stringSlice flags pass split=true. */
  list(name: string, split = false): string[] {
    const values = this.parsed.flags.get(name) ?? [];
    return split ? values.flatMap((value) => (value === "" ? [] : value.split(","))) : [...values];
  }
}

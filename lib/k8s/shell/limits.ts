/**
 * Budgets of the simulated shell. Every string or array a command builds is capped, and each
 * input has a wall-clock and key-generation budget, so that ordinary misuse ends with a shell-like
 * error message rather than an exhausted worker. (The worker pool around the engine has its own
 * deadline and heap limit; these budgets sit well below them.)
 */

export const SHELL_LIMITS = {
  /** Characters in any one string a command builds (a jq value, printf's output, a line sed builds, a word). */
  maxString: 4 * 1024 * 1024,
  /** Elements of any one array a command builds (jq arrays, split results). */
  maxArray: 1_000_000,
  /** Wall-clock milliseconds one input may run; checked between commands. */
  maxInputMs: 4_000,
  /**
   * Key generation per input, in units: an RSA key costs its size in bits / 1024 squared over 4
   * (2048 → 1, 3072 → 2.25, 4096 → 4), an EC or Ed25519 key 0.05. 8 units are two 4096-bit keys
   * or eight 2048-bit keys.
   */
  maxKeyUnits: 8,
  /** Shell variables (exported or not) a session keeps, and the size of each and of all. */
  maxVariables: 256,
  maxVariableBytes: 64 * 1024,
  maxVariablesTotalBytes: 512 * 1024,
  /** Aliases a session keeps, and the size of each definition. */
  maxAliases: 128,
  maxAliasBytes: 4 * 1024,
  /** History: entries, the longest line kept, and all lines together. */
  maxHistoryEntries: 500,
  maxHistoryLineBytes: 10_000,
  maxHistoryTotalBytes: 256 * 1024,
};

/**
 * A command ran into a budget. `message` is the complete text for stderr (without the newline),
 * worded like the shell or the command would, e.g. `jq: error: string too long`.
 */
export class ResourceLimitError extends Error {}

/** Throws when a string that is about to be built would be longer than the cap. */
export function checkStringLength(who: string, length: number): void {
  if (length > SHELL_LIMITS.maxString)
    throw new ResourceLimitError(`${who}: result too large (more than ${SHELL_LIMITS.maxString} characters)`);
}

/** Per input: the time budget and the key-generation budget. */
export class InputBudget {
  private readonly started = performance.now();
  private keyUnits = 0;

  constructor(private readonly maxMs = SHELL_LIMITS.maxInputMs) {}

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  overTime(): boolean {
    return this.elapsedMs() > this.maxMs;
  }

  /** For long loops inside one command: throws the command's own message when over time. */
  checkTime(who: string): void {
    if (this.overTime()) throw new ResourceLimitError(`${who}: stopped: this input ran longer than ${this.maxMs / 1000} s`);
  }

  /** Charges one key generation; false when the input has used its key budget. */
  chargeKey(kind: "rsa" | "ec" | "ed25519", bits: number): boolean {
    const cost = kind === "rsa" ? (bits / 1024) ** 2 / 4 : 0.05;
    if (this.keyUnits + cost > SHELL_LIMITS.maxKeyUnits + 1e-9) return false;
    this.keyUnits += cost;
    return true;
  }
}

/**
 * Why setting these variables would break a limit of the session (bash's style of message), or
 * undefined. The caller stores all of them or none.
 */
export function variablesError(env: Record<string, string>, changes: Record<string, string>): string | undefined {
  let count = Object.keys(env).length;
  let total = 0;
  for (const [name, value] of Object.entries(env)) total += name.length + value.length;
  for (const [name, value] of Object.entries(changes)) {
    if (value.length > SHELL_LIMITS.maxVariableBytes)
      return `bash: ${name}: value too large for a variable here (limit ${SHELL_LIMITS.maxVariableBytes} characters)`;
    const previous = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    if (previous === undefined) count++;
    total += value.length - (previous?.length ?? -name.length);
    if (count > SHELL_LIMITS.maxVariables) return `bash: ${name}: too many shell variables (limit ${SHELL_LIMITS.maxVariables})`;
  }
  if (total > SHELL_LIMITS.maxVariablesTotalBytes)
    return `bash: ${Object.keys(changes)[0] ?? ""}: shell variables would use more than ${SHELL_LIMITS.maxVariablesTotalBytes} characters`;
  return undefined;
}

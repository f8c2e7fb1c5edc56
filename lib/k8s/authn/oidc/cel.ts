/**
 * CEL for AuthenticationConfiguration (claimValidationRules, claimMappings, userValidationRules),
 * evaluated with @marcbachmann/cel-js.
 *
 * What works (what cel-js 8 implements): the CEL core language — literals, arithmetic, comparison,
 * `&&`/`||`/`!`, the ternary, `in`, `has()`, indexing and field selection on maps/lists, optional
 * syntax `.?field` / `[?key]` with `orValue()`/`hasValue()`, the standard macros `all`, `exists`,
 * `exists_one`, `map`, `filter`, `cel.bind`, the standard string functions (`contains`, `startsWith`,
 * `endsWith`, `matches`, `size`, `indexOf`, `lastIndexOf`, `substring`), list `join`, conversions
 * (`string()`, `int()`, `double()`, `dyn()`), timestamps and durations.
 * Variables: `claims` (the token's claims as a map, JSON integers as CEL int) for claim rules and
 * mappings; `user` (`{username, uid, groups, extra}`) for user rules.
 *
 * What the apiserver adds that we do not: the Kubernetes CEL libraries (`url()`, `ip()`/`cidr()`,
 * `quantity()`, `semver`, `authz`), cel-go's `ext.Strings` extras beyond the ones listed above
 * (`split`, `lowerAscii`, `upperAscii`, `replace`, `trim`, `format`, `reverse`), `ext.Sets`, the
 * cost limits (per-expression cost estimates) and `user` as a typed `kubernetes.UserInfo` object
 * (here it is a map). Compile errors use cel-js wording after the apiserver's "compilation failed: ".
 */
import { Environment, type ParseResult } from "@marcbachmann/cel-js";

export type CelVariable = "claims" | "user";

export interface CompiledExpression {
  expression: string;
  program: ParseResult;
  /** The static result type cel-js inferred ("bool", "string", "dyn", ...). */
  type: string;
  /** The parsed AST, walked for `claims.email` / `claims.email_verified`. */
  ast: unknown;
}

function environmentFor(variable: CelVariable): Environment {
  return new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false }).registerVariable(variable, "map");
}

const environments: Record<CelVariable, Environment> = {
  claims: environmentFor("claims"),
  user: environmentFor("user"),
};

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

/** Parses and type-checks; the error text goes after "compilation failed: ". */
export function compileCel(expression: string, variable: CelVariable): CompiledExpression | { error: string } {
  try {
    const program = environments[variable].parse(expression);
    const checked = program.check();
    if (!checked.valid) return { error: `ERROR: <input>: ${firstLine(checked.error?.message ?? "invalid expression")}` };
    return { expression, program, type: checked.type ?? "dyn", ast: program.ast };
  } catch (error) {
    return { error: `ERROR: <input>: ${firstLine(error instanceof Error ? error.message : String(error))}` };
  }
}

/** CEL values as returned to the authenticator. */
export type CelResult = { ok: true; value: unknown } | { ok: false; error: string };

export function evaluateCel(compiled: CompiledExpression, input: Record<string, unknown>): CelResult {
  try {
    const value: unknown = compiled.program(input);
    return { ok: true, value };
  } catch (error) {
    const message = firstLine(error instanceof Error ? error.message : String(error));
    // cel-go reports e.g. "no such key: groups"; cel-js capitalises the first word.
    const goStyle = message.charAt(0).toLowerCase() + message.slice(1);
    return { ok: false, error: `expression '${compiled.expression}' resulted in error: ${goStyle}` };
  }
}

/** JSON claims as CEL sees them after the apiserver's unstructured conversion: integers become int. */
export function toCelValue(value: unknown, depth = 0): unknown {
  if (depth > 10_000) return null;
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (Array.isArray(value)) return value.map((entry) => toCelValue(entry, depth + 1));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value)) out[key] = toCelValue(entry, depth + 1);
    return out;
  }
  return value;
}

/** hasSelectExp from the apiserver's validation: does the AST select `claims.<field>` anywhere? */
export function selectsClaim(ast: unknown, field: string, depth = 0): boolean {
  if (depth > 500 || typeof ast !== "object" || ast === null) return false;
  if (Array.isArray(ast)) return ast.some((child) => selectsClaim(child, field, depth + 1));
  const node = ast as { op?: unknown; args?: unknown };
  if ((node.op === "." || node.op === ".?") && Array.isArray(node.args)) {
    const [operand, name] = node.args as unknown[];
    const isClaims =
      typeof operand === "object" &&
      operand !== null &&
      (operand as { op?: unknown; args?: unknown }).op === "id" &&
      (operand as { args?: unknown }).args === "claims";
    if (isClaims && name === field) return true;
  }
  return selectsClaim(node.args, field, depth + 1);
}

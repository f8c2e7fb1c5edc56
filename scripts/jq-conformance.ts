/**
 * Checks test/k8s/jq/jq.test against a real jq 1.7 binary, so the table's expected outputs stay
 * jq's own: `JQ=/path/to/jq npx tsx scripts/jq-conformance.ts` (default: jq on PATH). The tests
 * never need the binary; this script is run when cases are added or changed.
 */
import { spawnSync } from "node:child_process";
import { readJqTable } from "../test/k8s/jq/table";

const binary = process.env.JQ ?? "jq";
const version = spawnSync(binary, ["--version"], { input: "", encoding: "utf8" }).stdout.trim();
if (!/^jq-1\.7/.test(version)) {
  console.error(`${binary} is ${version || "missing"}; the table is jq 1.7's (set JQ to a jq 1.7 binary)`);
  process.exit(2);
}
let failed = 0;
const cases = readJqTable();
for (const entry of cases) {
  const result = spawnSync(binary, [...entry.args, entry.program], { input: `${entry.input}\n`, encoding: "utf8" });
  const actual = { stdout: result.stdout, stderr: result.stderr, exitCode: result.status ?? -1 };
  const expected = { stdout: entry.stdout, stderr: entry.stderr, exitCode: entry.exitCode };
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    failed++;
    console.log(
      `line ${entry.line}: jq ${entry.args.join(" ")} '${entry.program}'\n  expected ${JSON.stringify(expected)}\n  ${version} ${JSON.stringify(actual)}`,
    );
  }
}
console.log(`${cases.length - failed} passed, ${failed} failed (${version})`);
process.exit(failed === 0 ? 0 : 1);

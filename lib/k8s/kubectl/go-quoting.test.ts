/**
 * Names with control or non-printable characters, printed the way kubectl's Go source prints them:
 * %q (strconv.Quote) escapes them as \x.. and \u...., where JSON.stringify would print \u00NN or the
 * raw character; time.ParseDuration's quote writes every non-ASCII byte as \x..
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./test-helpers";

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});

describe("kubectl quotes learner-chosen names as Go does", () => {
  it("config use-context: %q escapes a control character as \\x01 and U+00A0 as \\u00a0", async () => {
    const result = await h.run(["config", "use-context", "a\u0001b\u00a0c"]);
    expect(result.stderr).toBe(String.raw`error: no context exists with the name: "a\x01b\u00a0c"` + "\n");
    expect(result.exitCode).toBe(1);
  });

  it("config set-context: %q escapes U+2028 and keeps printable Unicode", async () => {
    const result = await h.run(["config", "set-context", "ü\u2028x", "--cluster=c"]);
    expect(result.stdout).toBe(String.raw`Context "ü\u2028x" created.` + "\n");
  });

  it("create token --duration: time.ParseDuration's quote writes non-ASCII bytes as \\x..", async () => {
    const result = await h.run(["create", "token", "default", "--duration=5é"]);
    expect(result.stderr).toBe(String.raw`error: invalid argument "5é" for "--duration" flag: time: invalid duration "5\xc3\xa9"` + "\n");
  });
});

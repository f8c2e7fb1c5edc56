import { describe, expect, it } from "vitest";
import { createTokenFileAuthenticator, parseTokenFile } from "./token-file";

const context = { now: new Date("2025-06-01T00:00:00Z"), apiAudiences: ["https://kubernetes.default.svc.cluster.local"] };
const PATH = "/etc/kubernetes/tokens.csv";

describe("parseTokenFile (§5)", () => {
  it("reads token,user,uid and the quoted group list", () => {
    const result = parseTokenFile('t1,alice,1001,"dev,ops"\nt2,bob,1002\n', PATH);
    expect(result).toEqual({
      ok: true,
      warnings: [],
      entries: [
        { token: "t1", user: { name: "alice", uid: "1001", groups: ["dev", "ops"], extra: {} } },
        { token: "t2", user: { name: "bob", uid: "1002", groups: [], extra: {} } },
      ],
    });
  });

  it("ignores columns past the 4th, blank lines, CRLF and a missing final newline", () => {
    const result = parseTokenFile("\r\nt1,alice,1001,admins,ignored,more\r\n\nt2,bob,1002", PATH);
    expect(result.ok && result.entries.map((e) => [e.token, e.user.name, e.user.groups])).toEqual([
      ["t1", "alice", ["admins"]],
      ["t2", "bob", []],
    ]);
  });

  it("fewer than 3 columns is a startup error naming the path and the count", () => {
    expect(parseTokenFile("t1,alice\n", PATH)).toEqual({
      ok: false,
      error: "token file '/etc/kubernetes/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2",
    });
    expect(parseTokenFile("   \n", PATH)).toEqual({
      ok: false,
      error: "token file '/etc/kubernetes/tokens.csv' must have at least 3 columns (token, user name, user uid), found 1",
    });
  });

  it("an empty token is skipped with a warning", () => {
    const result = parseTokenFile(",alice,1\nt2,bob,2\n", PATH);
    expect(result).toEqual({
      ok: true,
      warnings: ["empty token has been found in token file '/etc/kubernetes/tokens.csv', record number '1'"],
      entries: [{ token: "t2", user: { name: "bob", uid: "2", groups: [], extra: {} } }],
    });
  });

  it("a duplicate token warns and the last row wins", () => {
    const result = parseTokenFile("t1,alice,1\nt1,mallory,2\n", PATH);
    expect(result.ok && result.warnings).toEqual([
      "duplicate token has been found in token file '/etc/kubernetes/tokens.csv', record number '2'",
    ]);
    expect(result.ok && result.entries.map((e) => e.user.name)).toEqual(["mallory"]);
  });

  it("Go encoding/csv errors: bare quote and bad quote", () => {
    expect(parseTokenFile('t1,al"ice,1\n', PATH)).toEqual({
      ok: false,
      error: 'parse error on line 1, column 6: bare " in non-quoted-field',
    });
    expect(parseTokenFile('t1,"alice"x,1\n', PATH)).toEqual({
      ok: false,
      error: 'parse error on line 1, column 10: extraneous or missing " in quoted-field',
    });
    expect(parseTokenFile('t1,"alice,1\n', PATH)).toEqual({
      ok: false,
      error: 'parse error on line 1, column 13: extraneous or missing " in quoted-field',
    });
  });

  it("quoted fields may contain doubled quotes and newlines", () => {
    const result = parseTokenFile('t1,"a ""b""","multi\nline"\n', PATH);
    expect(result.ok && result.entries[0]?.user).toEqual({ name: 'a "b"', uid: "multi\nline", groups: [], extra: {} });
  });

  it("never throws on garbage", () => {
    const alphabet = ['"', ",", "\n", "\r", "a", " ", "é", "\u0000"];
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      let text = "";
      const length = i % 40;
      for (let j = 0; j < length; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff;
        text += alphabet[seed % alphabet.length];
      }
      const result = parseTokenFile(text, PATH);
      expect(typeof result.ok).toBe("boolean");
    }
  });
});

describe("token file authenticator", () => {
  it("exact match gives the user (no expiry); unknown tokens give no opinion", async () => {
    const parsed = parseTokenFile('secret-1,alice,1001,"dev,ops"\n', PATH);
    if (!parsed.ok) throw new Error(parsed.error);
    const authenticator = createTokenFileAuthenticator(parsed.entries);
    expect(await authenticator.authenticateToken("secret-1", context)).toEqual({
      kind: "user",
      user: { name: "alice", uid: "1001", groups: ["dev", "ops"], extra: {} },
    });
    expect((await authenticator.authenticateToken("secret-2", context)).kind).toBe("no-opinion");
    expect((await authenticator.authenticateToken("x".repeat(100_000), context)).kind).toBe("no-opinion");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTINS } from "./builtins";

describe("jq builtins", () => {
  it("the compile step knows exactly the functions callFunction implements", () => {
    const source = readFileSync(new URL("./builtins.ts", import.meta.url), "utf8");
    const implemented = [...source.matchAll(/case "([a-z_0-9]+\/\d)":/g)].map((match) => match[1]);
    expect([...BUILTINS].sort()).toEqual([...new Set(implemented)].sort());
  });
});

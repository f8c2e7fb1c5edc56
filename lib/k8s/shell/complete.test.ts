import { describe, expect, it } from "vitest";
import { complete } from "./complete";
import { newShellState } from "./index";

describe("complete", () => {
  const state = newShellState({ files: { "~/certs/jane.crt": "x", "~/certs/jane.key": "y", "~/pod.yaml": "z" } });

  it("completes command names for the first word", () => {
    expect(complete(state, "bas", 3, { commandNames: ["kubectl"] })).toEqual({ candidates: ["base64", "basename"], start: 0 });
    expect(complete(state, "echo a | kub", 12, { commandNames: ["kubectl"] }).candidates).toEqual(["kubectl"]);
  });

  it("completes file names for later words", () => {
    expect(complete(state, "cat ce", 6)).toEqual({ candidates: ["certs/"], start: 4 });
    expect(complete(state, "cat certs/jane.", 15)).toEqual({ candidates: ["certs/jane.crt", "certs/jane.key"], start: 4 });
    expect(complete(state, "cd ", 3).candidates).toEqual(["certs/"]);
    expect(complete(state, "echo $HO", 8).candidates).toEqual(["$HOME", "$HOSTNAME"]);
  });

  it("delegates kubectl words to the kubectl completer (also through the k alias)", () => {
    const calls: string[][] = [];
    const kubectl = (args: string[]): string[] => {
      calls.push(args);
      return ["get", "describe"].filter((word) => word.startsWith(args[args.length - 1] ?? ""));
    };
    expect(complete(state, "kubectl g", 9, { kubectl })).toEqual({ candidates: ["get"], start: 8 });
    expect(complete(state, "k ", 2, { kubectl }).candidates).toEqual(["describe", "get"]);
    expect(calls).toEqual([["g"], [""]]);
    expect(complete(state, "kubectl apply -f po", 19, { kubectl: () => [] }).candidates).toEqual(["pod.yaml"]);
  });
});

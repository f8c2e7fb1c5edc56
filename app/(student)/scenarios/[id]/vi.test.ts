import { describe, expect, it } from "vitest";
import { startVi, viKey, viTyped, type ViEffect, type ViState } from "./vi";

const MANIFEST = [
  "spec:",
  "  containers:",
  "  - command:",
  "    - kube-apiserver",
  "    - --enable-admission-plugin=NodeRestriction",
  "    - --secure-port=6443",
  "",
].join("\n");

/** Presses keys in order; a string of several characters outside `<...>` is typed key by key. */
function press(state: ViState, keys: string): { state: ViState; effects: ViEffect[] } {
  const effects: ViEffect[] = [];
  for (const token of keys.match(/<[A-Za-z]+>|./gs) ?? []) {
    const key = token.startsWith("<") && token.length > 1 ? token.slice(1, -1) : token;
    if (state.mode === "insert" && key !== "Escape") {
      // The textarea types in insert mode.
      state = viTyped(state, state.text.slice(0, state.cursor) + key + state.text.slice(state.cursor), state.cursor + 1);
      continue;
    }
    const result = viKey(state, key);
    state = result.state;
    if (result.effect !== "none") effects.push(result.effect);
  }
  return { state, effects };
}

const lineAt = (state: ViState) => state.text.slice(state.text.lastIndexOf("\n", state.cursor - 1) + 1).split("\n")[0];

describe("vi keys in the editor panel", () => {
  it("starts in normal mode, where letters are commands and not text", () => {
    const { state } = press(startVi(MANIFEST), "jjjj");
    expect(state.text).toBe(MANIFEST);
    expect(state.mode).toBe("normal");
    expect(lineAt(state)).toBe("    - --enable-admission-plugin=NodeRestriction");
  });

  it("fixes a flag the way a candidate does: search, insert, Escape, :wq", () => {
    const { state, effects } = press(startVi(MANIFEST), "/=Node<Enter>is<Escape>:wq<Enter>");
    expect(state.text).toBe(MANIFEST.replace("plugin=", "plugins="));
    expect(effects).toEqual(["write-quit"]);
  });

  it("Escape leaves insert mode and stays in the editor; :q refuses unsaved changes, :q! discards", () => {
    let { state, effects } = press(startVi(MANIFEST), "Ahello<Escape><Escape>");
    expect(state.mode).toBe("normal");
    expect(effects).toEqual([]);
    ({ state, effects } = press(state, ":q<Enter>"));
    expect(effects).toEqual([]);
    expect(state.message).toBe("E37: No write since last change (add ! to override)");
    expect(press(state, "u").state.text).toBe(MANIFEST); // one insert, one undo step
    ({ effects } = press(state, ":q!<Enter>"));
    expect(effects).toEqual(["quit"]);
    expect(press(startVi(MANIFEST), ":q<Enter>").effects).toEqual(["quit"]);
    expect(press(startVi(MANIFEST), "ZZ").effects).toEqual(["write-quit"]);
    expect(press(startVi(MANIFEST), ":w<Enter>").effects).toEqual(["write"]);
  });

  it("deletes, yanks, puts and undoes whole lines", () => {
    let { state } = press(startVi(MANIFEST), "5Gdd");
    expect(state.text).not.toContain("enable-admission");
    expect(lineAt(state)).toBe("    - --secure-port=6443");
    ({ state } = press(state, "P"));
    expect(state.text).toBe(MANIFEST);
    ({ state } = press(state, "yyp"));
    expect(state.text.split("--enable-admission-plugin=").length).toBe(3);
    ({ state } = press(state, "uu"));
    expect(state.text).toBe(MANIFEST.replace("    - --enable-admission-plugin=NodeRestriction\n", ""));
    ({ state } = press(state, "u"));
    expect(state.text).toBe(MANIFEST);
  });

  it("opens lines, changes words, replaces and deletes characters", () => {
    let { state } = press(startVi(MANIFEST), "4Go    - --v=2<Escape>");
    expect(state.text).toContain("    - kube-apiserver\n    - --v=2\n    - --enable");
    ({ state } = press(startVi("a-b"), "xrB"));
    expect(state.text).toBe("Bb");
    ({ state } = press(startVi("old word"), "cwnew<Escape>"));
    expect(state.text).toBe("new word");
    ({ state } = press(startVi("keep this"), "wD"));
    expect(state.text).toBe("keep ");
  });

  it("substitutes on the line or in the whole file, and says when nothing matches", () => {
    let { state } = press(startVi(MANIFEST), ":%s/plugin=/plugins=/<Enter>");
    expect(state.text).toContain("--enable-admission-plugins=NodeRestriction");
    expect(state.mode).toBe("normal");
    ({ state } = press(startVi(MANIFEST), ":s/nothing/x/<Enter>"));
    expect(state.message).toBe("E486: Pattern not found: nothing");
    ({ state } = press(startVi(MANIFEST), ":frobnicate<Enter>"));
    expect(state.message).toBe("E492: Not an editor command: frobnicate");
    ({ state } = press(startVi(MANIFEST), "/absent<Enter>"));
    expect(state.message).toBe("E486: Pattern not found: absent");
  });

  it("moves by lines, words and line ends and goes to a line by number", () => {
    let { state } = press(startVi(MANIFEST), "G");
    expect(state.cursor).toBe(MANIFEST.length);
    ({ state } = press(startVi(MANIFEST), ":4<Enter>"));
    expect(lineAt(state)).toBe("    - kube-apiserver");
    ({ state } = press(state, "$"));
    expect(state.text[state.cursor]).toBe("r");
    ({ state } = press(state, "0"));
    expect(state.text[state.cursor]).toBe(" ");
    ({ state } = press(state, "^w"));
    expect(state.text.slice(state.cursor, state.cursor + 4)).toBe("kube");
    ({ state } = press(state, "gg"));
    expect(state.cursor).toBe(0);
    ({ state } = press(state, "<ArrowDown><ArrowRight><ArrowRight>"));
    expect(state.cursor).toBe("spec:\n".length + 2);
  });
});

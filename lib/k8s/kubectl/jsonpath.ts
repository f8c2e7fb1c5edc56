/**
 * The JSONPath templates of kubectl -o jsonpath (k8s.io/client-go/util/jsonpath): text with {actions};
 * fields, ['quoted'], [n], [*], [a:b], ..recursive, [?(@.x=="y")] filters, {range}{end} and "literals".
 * Missing keys print nothing (kubectl sets AllowMissingKeys). Maps and lists print as compact JSON.
 */
import { goJson } from "../go";

type Value = unknown;
type Step =
  | { type: "field"; name: string }
  | { type: "wildcard" }
  | { type: "index"; index: number }
  | { type: "slice"; start?: number; end?: number }
  | { type: "recursive"; name: string }
  | { type: "filter"; left: Step[]; op?: string; right?: Value | { path: Step[] } };

type Node =
  | { type: "text"; text: string }
  | { type: "path"; steps: Step[] }
  | { type: "range"; steps: Step[]; body: Node[] }
  | { type: "literal"; text: string };

export class JsonPathError extends Error {}

function splitActions(template: string): ({ text: string } | { action: string })[] {
  const parts: ({ text: string } | { action: string })[] = [];
  let index = 0;
  while (index < template.length) {
    const open = template.indexOf("{", index);
    if (open === -1) {
      parts.push({ text: template.slice(index) });
      break;
    }
    if (open > index) parts.push({ text: template.slice(index, open) });
    let depth = 0;
    let quote: string | undefined;
    let close = -1;
    for (let cursor = open; cursor < template.length; cursor += 1) {
      const char = template[cursor];
      if (quote !== undefined) {
        if (char === "\\") cursor += 1;
        else if (char === quote) quote = undefined;
        continue;
      }
      if (char === '"' || char === "'") quote = char;
      else if (char === "{") depth += 1;
      else if (char === "}") {
        depth -= 1;
        if (depth === 0) {
          close = cursor;
          break;
        }
      }
    }
    if (close === -1) throw new JsonPathError(`unclosed action`);
    parts.push({ action: template.slice(open + 1, close).trim() });
    index = close + 1;
  }
  return parts;
}

function parseLiteralValue(text: string): Value {
  const trimmed = text.trim();
  if (/^".*"$/.test(trimmed)) return JSON.parse(trimmed) as Value;
  if (/^'.*'$/.test(trimmed)) return trimmed.slice(1, -1);
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  return trimmed;
}

function parsePath(text: string): Step[] {
  const steps: Step[] = [];
  let index = 0;
  if (text.startsWith("$") || text.startsWith("@")) index = 1;
  const readName = (): string => {
    let name = "";
    while (index < text.length) {
      const char = text[index] ?? "";
      if (char === "\\" && index + 1 < text.length) {
        name += text[index + 1] ?? "";
        index += 2;
        continue;
      }
      if (char === "." || char === "[" || char === " ") break;
      name += char;
      index += 1;
    }
    return name;
  };
  while (index < text.length) {
    const char = text[index];
    if (char === ".") {
      if (text[index + 1] === ".") {
        index += 2;
        steps.push({ type: "recursive", name: readName() });
        continue;
      }
      index += 1;
      const name = readName();
      if (name === "*") steps.push({ type: "wildcard" });
      else if (name !== "") steps.push({ type: "field", name });
      continue;
    }
    if (char === "[") {
      let depth = 0;
      let end = index;
      for (; end < text.length; end += 1) {
        if (text[end] === "[") depth += 1;
        else if (text[end] === "]") {
          depth -= 1;
          if (depth === 0) break;
        }
      }
      const inner = text.slice(index + 1, end).trim();
      index = end + 1;
      if (inner === "*") steps.push({ type: "wildcard" });
      else if (/^-?\d+$/.test(inner)) steps.push({ type: "index", index: Number(inner) });
      else if (/^-?\d*:-?\d*$/.test(inner)) {
        const [start, stop] = inner.split(":");
        steps.push({ type: "slice", ...(start ? { start: Number(start) } : {}), ...(stop ? { end: Number(stop) } : {}) });
      } else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ type: "field", name: inner.slice(1, -1) });
      else if (inner.startsWith("?(") && inner.endsWith(")")) {
        const expression = inner.slice(2, -1).trim();
        const match = /^(@[^\s=!<>]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(expression);
        if (match === null) steps.push({ type: "filter", left: parsePath(expression) });
        else {
          const rightText = (match[3] ?? "").trim();
          const right = rightText.startsWith("@") ? { path: parsePath(rightText) } : parseLiteralValue(rightText);
          steps.push({ type: "filter", left: parsePath(match[1] ?? "@"), op: match[2] ?? "==", right });
        }
      } else throw new JsonPathError(`invalid array index ${inner}`);
      continue;
    }
    if (char === " ") {
      index += 1;
      continue;
    }
    const name = readName();
    if (name === "") throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(char)}`);
    steps.push({ type: "field", name });
  }
  return steps;
}

export function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  const ranges: { steps: Step[]; body: Node[] }[] = [];
  for (const part of splitActions(template)) {
    const target = stack[stack.length - 1] ?? root;
    if ("text" in part) {
      target.push({ type: "text", text: part.text });
      continue;
    }
    const action = part.action;
    if (action === "end") {
      if (ranges.length === 0) throw new JsonPathError("not in range, nothing to end");
      ranges.pop();
      stack.pop();
      continue;
    }
    if (action.startsWith("range ")) {
      const node = { type: "range" as const, steps: parsePath(action.slice(6).trim()), body: [] as Node[] };
      target.push(node);
      ranges.push(node);
      stack.push(node.body);
      continue;
    }
    if (/^".*"$/s.test(action) || /^'.*'$/s.test(action)) {
      target.push({ type: "literal", text: String(parseLiteralValue(action)) });
      continue;
    }
    target.push({ type: "path", steps: parsePath(action) });
  }
  if (ranges.length > 0) throw new JsonPathError("unclosed range");
  return root;
}

function isObject(value: Value): value is Record<string, Value> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compare(left: Value, op: string, right: Value): boolean {
  if (op === "==") return left === right || (typeof left === "number" && Number(right) === left);
  if (op === "!=") return !(left === right);
  const a = Number(left);
  const b = Number(right);
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return op === "<" ? a < b : op === ">" ? a > b : op === "<=" ? a <= b : a >= b;
}

function evaluate(steps: Step[], inputs: Value[]): Value[] {
  let current = inputs;
  for (const step of steps) {
    const next: Value[] = [];
    for (const value of current) {
      switch (step.type) {
        case "field":
          if (isObject(value) && step.name in value) next.push(value[step.name]);
          break;
        case "wildcard":
          if (Array.isArray(value)) next.push(...value);
          else if (isObject(value))
            next.push(
              ...Object.keys(value)
                .sort()
                .map((key) => value[key]),
            );
          break;
        case "index":
          if (Array.isArray(value)) {
            const index = step.index < 0 ? value.length + step.index : step.index;
            if (index >= 0 && index < value.length) next.push(value[index]);
            else throw new JsonPathError(`array index out of bounds: index ${step.index}, length ${value.length}`);
          }
          break;
        case "slice":
          if (Array.isArray(value)) next.push(...value.slice(step.start ?? 0, step.end ?? value.length));
          break;
        case "recursive": {
          const walk = (item: Value): void => {
            if (isObject(item)) {
              if (step.name in item) next.push(item[step.name]);
              for (const key of Object.keys(item).sort()) walk(item[key]);
            } else if (Array.isArray(item)) item.forEach(walk);
          };
          walk(value);
          break;
        }
        case "filter": {
          const items = Array.isArray(value) ? value : [value];
          for (const item of items) {
            const left = evaluate(step.left, [item]);
            if (step.op === undefined) {
              if (left.length > 0) next.push(item);
              continue;
            }
            const right =
              isObject(step.right) && "path" in step.right && Array.isArray(step.right.path)
                ? evaluate(step.right.path as Step[], [item])[0]
                : step.right;
            if (left.length > 0 && compare(left[0], step.op, right)) next.push(item);
          }
          break;
        }
      }
    }
    current = next;
  }
  return current;
}

function goFormatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  const text = String(value);
  return text.includes("e") ? text.replace(/e([+-])(\d)$/, "e$10$2") : text;
}

function toText(value: Value): string {
  if (typeof value === "string") return value;
  if (typeof value === "number") return goFormatNumber(value);
  if (typeof value === "boolean") return String(value);
  if (value === null || value === undefined) return "<nil>";
  return goJson(value, { sortKeys: true });
}

function render(nodes: Node[], data: Value): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text" || node.type === "literal") out += node.text;
    else if (node.type === "path") out += evaluate(node.steps, [data]).map(toText).join(" ");
    else {
      const items = evaluate(node.steps, [data]);
      const expanded = items.length === 1 && Array.isArray(items[0]) ? items[0] : items;
      for (const item of expanded) out += render(node.body, item);
    }
  }
  return out;
}

/** Executes a kubectl jsonpath template against a JSON value. */
export function executeJsonPath(template: string, data: Value): string {
  return render(parseTemplate(template), data);
}

/** Values of a relaxed expression (custom-columns): ".metadata.name" or "metadata.name". */
export function evaluateRelaxed(expression: string, data: Value): Value[] {
  let text = expression.trim();
  if (text.startsWith("{") && text.endsWith("}")) text = text.slice(1, -1);
  if (!text.startsWith(".") && !text.startsWith("$")) text = `.${text}`;
  return evaluate(parsePath(text), [data]);
}

export function valueText(value: Value): string {
  return toText(value);
}

/** jq's parser: tokens into an AST, by precedence climbing. */
import { lex, type Token } from "./lexer";
import { JqSyntaxError, type Json } from "./values";

export type Ast =
  | { k: "identity" }
  | { k: "recurse" }
  | { k: "literal"; v: Json }
  | { k: "string"; parts: (string | Ast)[]; format?: string }
  | { k: "index"; target: Ast; key: Ast; optional: boolean }
  | { k: "slice"; target: Ast; from?: Ast; to?: Ast; optional: boolean }
  | { k: "iterate"; target: Ast; optional: boolean }
  | { k: "pipe"; left: Ast; right: Ast }
  | { k: "comma"; left: Ast; right: Ast }
  | { k: "binary"; op: string; left: Ast; right: Ast }
  | { k: "neg"; value: Ast }
  | { k: "array"; body?: Ast }
  | { k: "object"; entries: { key: Ast; value?: Ast }[] }
  | { k: "call"; name: string; args: Ast[]; at?: number }
  | { k: "var"; name: string; at?: number }
  | { k: "format"; name: string }
  | { k: "if"; cond: Ast; then: Ast; elifs: { cond: Ast; then: Ast }[]; otherwise?: Ast }
  | { k: "try"; body: Ast; handler?: Ast }
  | { k: "as"; source: Ast; name: string; body: Ast }
  | { k: "reduce"; source: Ast; name: string; init: Ast; update: Ast }
  | { k: "assign"; op: string; left: Ast; right: Ast };

/** `=`, `|=` and the arithmetic updates: below `or`, above `//` (jq's grammar). */
const ASSIGN_OPS = ["=", "|=", "+=", "-=", "*=", "/=", "%=", "//="];

class JqParser {
  i = 0;
  depth = 0;
  constructor(readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.i];
  }

  isOp(v: string): boolean {
    const token = this.peek();
    return token?.t === "op" && token.v === v;
  }

  isIdent(v: string): boolean {
    const token = this.peek();
    return token?.t === "ident" && token.v === v;
  }

  expectOp(v: string): void {
    if (!this.isOp(v)) throw new JqSyntaxError(`syntax error, expected '${v}'`);
    this.i++;
  }

  expectIdent(v: string): void {
    if (!this.isIdent(v)) throw new JqSyntaxError(`syntax error, expected '${v}'`);
    this.i++;
  }

  parsePipe(): Ast {
    if (++this.depth > 200) throw new JqSyntaxError("expression nested too deeply");
    try {
      if (this.isIdent("def")) throw new JqSyntaxError("function definitions (def) are not supported by this jq");
      const left = this.parseComma();
      if (this.isIdent("as")) {
        this.i++;
        const token = this.peek();
        if (token?.t !== "var") throw new JqSyntaxError("syntax error, expected $name after 'as'");
        this.i++;
        this.expectOp("|");
        return { k: "as", source: left, name: token.v, body: this.parsePipe() };
      }
      if (this.isOp("|")) {
        this.i++;
        return { k: "pipe", left, right: this.parsePipe() };
      }
      return left;
    } finally {
      this.depth--;
    }
  }

  parseComma(): Ast {
    let left = this.parseAlt();
    while (this.isOp(",")) {
      this.i++;
      left = { k: "comma", left, right: this.parseAlt() };
    }
    return left;
  }

  parseAlt(): Ast {
    const left = this.parseAssign();
    if (this.isOp("//")) {
      this.i++;
      return { k: "binary", op: "//", left, right: this.parseAlt() };
    }
    return left;
  }

  parseAssign(): Ast {
    const left = this.parseOr();
    const token = this.peek();
    if (token?.t === "op" && ASSIGN_OPS.includes(token.v)) {
      this.i++;
      return { k: "assign", op: token.v, left, right: this.parseOr() };
    }
    return left;
  }

  parseOr(): Ast {
    let left = this.parseAnd();
    while (this.isIdent("or")) {
      this.i++;
      left = { k: "binary", op: "or", left, right: this.parseAnd() };
    }
    return left;
  }

  parseAnd(): Ast {
    let left = this.parseCompare();
    while (this.isIdent("and")) {
      this.i++;
      left = { k: "binary", op: "and", left, right: this.parseCompare() };
    }
    return left;
  }

  parseCompare(): Ast {
    const left = this.parseAdditive();
    for (const op of ["==", "!=", "<=", ">=", "<", ">"]) {
      if (this.isOp(op)) {
        this.i++;
        return { k: "binary", op, left, right: this.parseAdditive() };
      }
    }
    return left;
  }

  parseAdditive(): Ast {
    let left = this.parseMultiplicative();
    while (this.isOp("+") || this.isOp("-")) {
      const token = this.peek();
      this.i++;
      left = { k: "binary", op: token?.t === "op" ? token.v : "+", left, right: this.parseMultiplicative() };
    }
    return left;
  }

  parseMultiplicative(): Ast {
    let left = this.parseUnary();
    while (this.isOp("*") || this.isOp("/") || this.isOp("%")) {
      const token = this.peek();
      this.i++;
      left = { k: "binary", op: token?.t === "op" ? token.v : "*", left, right: this.parseUnary() };
    }
    return left;
  }

  parseUnary(): Ast {
    if (this.isOp("-")) {
      this.i++;
      return { k: "neg", value: this.parsePostfix() };
    }
    return this.parsePostfix();
  }

  parsePostfix(): Ast {
    let node = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token?.t === "field") {
        this.i++;
        node = { k: "index", target: node, key: { k: "literal", v: token.v }, optional: this.optional() };
        continue;
      }
      if (this.isOp(".")) {
        const next = this.tokens[this.i + 1];
        if (next?.t === "str") {
          this.i += 2;
          node = { k: "index", target: node, key: { k: "string", parts: next.parts }, optional: this.optional() };
          continue;
        }
        if (next?.t === "op" && next.v === "[") {
          this.i++;
          continue;
        }
        break;
      }
      if (this.isOp("[")) {
        node = this.parseBracket(node);
        continue;
      }
      if (this.isIdent("as") || !token) break;
      break;
    }
    return node;
  }

  optional(): boolean {
    if (this.isOp("?")) {
      this.i++;
      return true;
    }
    return false;
  }

  parseBracket(target: Ast): Ast {
    this.expectOp("[");
    if (this.isOp("]")) {
      this.i++;
      return { k: "iterate", target, optional: this.optional() };
    }
    if (this.isOp(":")) {
      this.i++;
      const to = this.parsePipe();
      this.expectOp("]");
      return { k: "slice", target, to, optional: this.optional() };
    }
    const key = this.parsePipe();
    if (this.isOp(":")) {
      this.i++;
      const to = this.isOp("]") ? undefined : this.parsePipe();
      this.expectOp("]");
      return { k: "slice", target, from: key, to, optional: this.optional() };
    }
    this.expectOp("]");
    return { k: "index", target, key, optional: this.optional() };
  }

  parsePrimary(): Ast {
    const token = this.peek();
    if (!token) throw new JqSyntaxError("syntax error, unexpected end of file");
    this.i++;
    switch (token.t) {
      case "field":
        return { k: "index", target: { k: "identity" }, key: { k: "literal", v: token.v }, optional: this.optional() };
      case "num":
        return { k: "literal", v: token.v };
      case "str":
        return { k: "string", parts: token.parts };
      case "var":
        return { k: "var", name: token.v, at: token.at };
      case "format": {
        const next = this.peek();
        if (next?.t === "str") {
          this.i++;
          return { k: "string", parts: next.parts, format: token.v };
        }
        return { k: "format", name: token.v };
      }
      case "ident":
        return this.parseIdent(token.v, token.at);
      case "op":
        break;
    }
    switch (token.v) {
      case ".": {
        const next = this.peek();
        if (next?.t === "str") {
          this.i++;
          return { k: "index", target: { k: "identity" }, key: { k: "string", parts: next.parts }, optional: this.optional() };
        }
        if (this.isOp("[")) return this.parseBracket({ k: "identity" });
        return { k: "identity" };
      }
      case "..":
        return { k: "recurse" };
      case "(": {
        const inner = this.parsePipe();
        this.expectOp(")");
        return inner;
      }
      case "[": {
        if (this.isOp("]")) {
          this.i++;
          return { k: "array" };
        }
        const body = this.parsePipe();
        this.expectOp("]");
        return { k: "array", body };
      }
      case "{":
        return this.parseObject();
      default:
        throw new JqSyntaxError(`syntax error, unexpected '${token.v}'`);
    }
  }

  parseObject(): Ast {
    const entries: { key: Ast; value?: Ast }[] = [];
    while (!this.isOp("}")) {
      const token = this.peek();
      let key: Ast;
      if (token?.t === "ident") {
        this.i++;
        key = { k: "literal", v: token.v };
      } else if (token?.t === "str") {
        this.i++;
        key = { k: "string", parts: token.parts };
      } else if (token?.t === "var") {
        this.i++;
        entries.push({ key: { k: "literal", v: token.v }, value: { k: "var", name: token.v, at: token.at } });
        if (this.isOp(",")) this.i++;
        continue;
      } else if (token?.t === "num") {
        throw new JqSyntaxError("syntax error: object keys must be strings");
      } else if (this.isOp("(")) {
        this.i++;
        key = this.parsePipe();
        this.expectOp(")");
      } else throw new JqSyntaxError("syntax error in object construction");
      if (this.isOp(":")) {
        this.i++;
        entries.push({ key, value: this.parseObjectValue() });
      } else entries.push({ key });
      if (this.isOp(",")) this.i++;
      else if (!this.isOp("}")) throw new JqSyntaxError("syntax error, expected ',' or '}'");
    }
    this.i++;
    return { k: "object", entries };
  }

  /** Object values bind tighter than `,`: `{a: 1, b: 2}`. */
  parseObjectValue(): Ast {
    let node = this.parseAlt();
    while (this.isOp("|")) {
      this.i++;
      node = { k: "pipe", left: node, right: this.parseAlt() };
    }
    return node;
  }

  parseIdent(name: string, at: number): Ast {
    switch (name) {
      case "true":
        return { k: "literal", v: true };
      case "false":
        return { k: "literal", v: false };
      case "null":
        return { k: "literal", v: null };
      case "if": {
        const cond = this.parsePipe();
        this.expectIdent("then");
        const then = this.parsePipe();
        const elifs: { cond: Ast; then: Ast }[] = [];
        let otherwise: Ast | undefined;
        for (;;) {
          if (this.isIdent("elif")) {
            this.i++;
            const c = this.parsePipe();
            this.expectIdent("then");
            elifs.push({ cond: c, then: this.parsePipe() });
            continue;
          }
          if (this.isIdent("else")) {
            this.i++;
            otherwise = this.parsePipe();
          }
          this.expectIdent("end");
          return { k: "if", cond, then, elifs, otherwise };
        }
      }
      case "try": {
        const body = this.parsePostfix();
        if (this.isIdent("catch")) {
          this.i++;
          return { k: "try", body, handler: this.parsePostfix() };
        }
        return { k: "try", body };
      }
      case "reduce": {
        const source = this.parsePostfix();
        this.expectIdent("as");
        const token = this.peek();
        if (token?.t !== "var") throw new JqSyntaxError("syntax error, expected $name");
        this.i++;
        this.expectOp("(");
        const init = this.parsePipe();
        this.expectOp(";");
        const update = this.parsePipe();
        this.expectOp(")");
        return { k: "reduce", source, name: token.v, init, update };
      }
      default: {
        const args: Ast[] = [];
        if (this.isOp("(")) {
          this.i++;
          args.push(this.parsePipe());
          while (this.isOp(";")) {
            this.i++;
            args.push(this.parsePipe());
          }
          this.expectOp(")");
        }
        return { k: "call", name, args, at };
      }
    }
  }
}

export function parseProgram(src: string, base = 0): Ast {
  const parser = new JqParser(lex(src, base));
  if (parser.tokens.length === 0) return { k: "identity" };
  const ast = parser.parsePipe();
  if (parser.i < parser.tokens.length) {
    const token = parser.tokens[parser.i];
    const text =
      token?.t === "op" || token?.t === "ident" || token?.t === "field"
        ? token.t === "field"
          ? `.${token.v}`
          : token.v
        : (token?.t ?? "");
    throw new JqSyntaxError(`syntax error, unexpected ${JSON.stringify(text)}`);
  }
  return ast;
}

/**
 * The compile step's check: every function called is defined (`isDefined("name/arity")`) and every
 * `$name` bound (by `as`, `reduce` or `globals`), each fault with where it starts in the program.
 */
export function undefinedNames(ast: Ast, isDefined: (arity: string) => boolean, globals: Set<string>): { name: string; at: number }[] {
  const found: { name: string; at: number }[] = [];
  const walk = (node: Ast, bound: Set<string>): void => {
    const under = (child: Ast | undefined, scope = bound): void => {
      if (child) walk(child, scope);
    };
    const withName = (name: string): Set<string> => new Set([...bound, name]);
    switch (node.k) {
      case "call":
        // As jq: the arguments of an unknown function are not checked.
        if (!isDefined(`${node.name}/${node.args.length}`)) found.push({ name: `${node.name}/${node.args.length}`, at: node.at ?? 0 });
        else node.args.forEach((arg) => under(arg));
        return;
      case "var":
        if (!bound.has(node.name)) found.push({ name: `$${node.name}`, at: node.at ?? 0 });
        return;
      case "string":
        node.parts.forEach((part) => typeof part !== "string" && under(part));
        return;
      case "index":
        under(node.target);
        under(node.key);
        return;
      case "slice":
        under(node.target);
        under(node.from);
        under(node.to);
        return;
      case "iterate":
        under(node.target);
        return;
      case "pipe":
      case "comma":
      case "binary":
      case "assign":
        under(node.left);
        under(node.right);
        return;
      case "neg":
        under(node.value);
        return;
      case "array":
        under(node.body);
        return;
      case "object":
        node.entries.forEach((entry) => {
          under(entry.key);
          under(entry.value);
        });
        return;
      case "if":
        under(node.cond);
        under(node.then);
        node.elifs.forEach((elif) => {
          under(elif.cond);
          under(elif.then);
        });
        under(node.otherwise);
        return;
      case "try":
        under(node.body);
        under(node.handler);
        return;
      case "as":
        under(node.source);
        under(node.body, withName(node.name));
        return;
      case "reduce":
        under(node.source);
        under(node.init);
        under(node.update, withName(node.name));
        return;
      case "identity":
      case "recurse":
      case "literal":
      case "format":
        return;
    }
  };
  walk(ast, globals);
  return found;
}

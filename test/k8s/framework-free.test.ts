// The simulation engine is shared by the web terminal, the HTTPS practice API server, tests and
// benchmarks: it must not depend on a web framework, React or the database layer.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ENGINE = path.join(process.cwd(), "lib", "k8s");
const FORBIDDEN = [
  /^next($|\/)/,
  /^react($|-dom|\/)/,
  /^@prisma\//,
  /^prisma($|\/)/,
  /^next-auth/,
  /^express/,
  /^fastify/,
  /^@\/(app|lib\/(db|auth|env))/,
  /\/db\//,
  /server-only/,
  /^(node:)?child_process$/,
];

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const pattern =
    /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\s*\(\s*["']([^"']+)["']\s*\)|import\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)/g;
  for (const match of source.matchAll(pattern)) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (specifier) specifiers.push(specifier);
  }
  return specifiers;
}

describe("lib/k8s is framework-free", () => {
  it("finds the engine's modules", () => {
    expect(files(ENGINE).length).toBeGreaterThan(20);
  });

  it("no module imports next, react, prisma, a web framework or the app's infrastructure", () => {
    const offenders = files(ENGINE).flatMap((file) =>
      importsOf(fs.readFileSync(file, "utf8"))
        .filter((specifier) => FORBIDDEN.some((pattern) => pattern.test(specifier)))
        .map((specifier) => `${path.relative(process.cwd(), file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it("relative imports never leave lib/k8s", () => {
    const escaping = files(ENGINE).flatMap((file) =>
      importsOf(fs.readFileSync(file, "utf8"))
        .filter((specifier) => specifier.startsWith("."))
        .filter((specifier) => !path.resolve(path.dirname(file), specifier).startsWith(ENGINE))
        .map((specifier) => `${path.relative(process.cwd(), file)} imports ${specifier}`),
    );
    expect(escaping).toEqual([]);
  });

  it("the check itself catches a forbidden import", () => {
    expect(
      importsOf('import { x } from "next/server";\nimport "server-only";').filter((s) => FORBIDDEN.some((p) => p.test(s))),
    ).toHaveLength(2);
  });
});

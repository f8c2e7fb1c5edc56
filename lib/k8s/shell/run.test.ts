import { describe, expect, it } from "vitest";
import { CLEAR_SCREEN, HISTORY_LIMIT, newShellState, runCommandLine, type RunOptions } from "./index";
import type { CommandHandler, ShellState } from "./types";

const now = new Date("2026-11-29T10:01:06Z");

async function sh(state: ShellState, line: string, options: Partial<RunOptions> = {}) {
  return runCommandLine(state, line, { now, ...options });
}

async function out(state: ShellState, line: string): Promise<string> {
  return (await sh(state, line)).stdout;
}

describe("runCommandLine", () => {
  it("runs pipelines, lists and exit statuses", async () => {
    const s = newShellState();
    expect(await out(s, "echo hello world | tr a-z A-Z")).toBe("HELLO WORLD\n");
    expect(await out(s, "false && echo no || echo yes; echo $?")).toBe("yes\n0\n");
    expect(await out(s, "false; echo $?")).toBe("1\n");
    expect(await out(s, "! false; echo $?")).toBe("0\n");
    const missing = await sh(s, "foo bar");
    expect(missing).toMatchObject({ stderr: "bash: foo: command not found\n", exitCode: 127 });
  });

  it("expands variables, tilde, quotes and substitutions", async () => {
    const s = newShellState();
    expect(await out(s, `X="a  b"; echo $X "$X" '$X' \${X} \${NOPE:-dflt} \${#X} ~ ~/k`)).toBe(
      "a b a  b $X a b dflt 4 /home/student /home/student/k\n",
    );
    expect(await out(s, "export KUBECONFIG=~/.kube/config; echo $KUBECONFIG")).toBe("/home/student/.kube/config\n");
    expect(await out(s, "echo $(echo $(echo nested)) `echo tick`")).toBe("nested tick\n");
    expect(await out(s, 'echo "a\\"b" a\\ b \\$HOME')).toBe('a"b a b $HOME\n');
    expect(await out(s, "echo a # comment")).toBe("a\n");
  });

  it("redirects stdout, stderr and stdin through the VFS", async () => {
    const s = newShellState();
    await sh(s, "echo one > f; echo two >> f");
    expect(await out(s, "cat f")).toBe("one\ntwo\n");
    expect(await out(s, "wc -l < f")).toBe("2\n");
    const errors = await sh(s, "ls nosuch 2> err; cat err");
    expect(errors.stdout).toBe("ls: cannot access 'nosuch': No such file or directory\n");
    expect(errors.stderr).toBe("");
    expect((await sh(s, "ls nosuch 2>&1 | wc -l")).stdout).toBe("1\n");
    expect((await sh(s, "ls nosuch &> all; cat all")).stdout).toContain("cannot access");
    expect((await sh(s, "ls nosuch 2>/dev/null; echo $?")).stdout).toBe("2\n");
    expect(await sh(s, "cat < missing")).toMatchObject({ stderr: "bash: missing: No such file or directory\n", exitCode: 1 });
    expect(await sh(s, "echo x > /nodir/f")).toMatchObject({ stderr: "bash: /nodir/f: No such file or directory\n", exitCode: 1 });
  });

  it("writes here-documents with expansion (and without when quoted)", async () => {
    const s = newShellState();
    await sh(s, "echo secret > f");
    await sh(s, "cat <<EOF > csr.yaml\nrequest: $(cat f | base64 -w0)\nuser: $USER\nEOF");
    expect(await out(s, "cat csr.yaml")).toBe("request: c2VjcmV0Cg==\nuser: student\n");
    await sh(s, "cat <<'EOF' > raw\n$USER $(date)\nEOF");
    expect(await out(s, "cat raw")).toBe("$USER $(date)\n");
    expect(await out(s, "cat <<< 'here string'")).toBe("here string\n");
  });

  it("globs against the VFS", async () => {
    const s = newShellState();
    await sh(s, "mkdir -p certs && touch certs/a.crt certs/b.crt certs/c.key x.yaml");
    expect(await out(s, "echo certs/*.crt")).toBe("certs/a.crt certs/b.crt\n");
    expect(await out(s, "echo *.yaml '*.yaml' nomatch*")).toBe("x.yaml *.yaml nomatch*\n");
    expect(await out(s, "echo certs/?.key")).toBe("certs/c.key\n");
  });

  it("has the builtins", async () => {
    const s = newShellState();
    await sh(s, "mkdir -p a/b");
    expect(await out(s, "cd a/b; pwd")).toBe("/home/student/a/b\n");
    expect(s.cwd).toBe("/home/student/a/b");
    expect(await out(s, "cd -")).toBe("/home/student\n");
    expect((await sh(s, "cd /nope")).stderr).toBe("bash: cd: /nope: No such file or directory\n");
    await sh(s, "echo x > file");
    expect((await sh(s, "cd file")).stderr).toBe("bash: cd: file: Not a directory\n");
    expect((await sh(s, "cd a b")).stderr).toBe("bash: cd: too many arguments\n");
    await sh(s, "export A=1 B; unset A");
    expect(s.env.A).toBeUndefined();
    expect(await out(s, "echo -n x; echo -e 'a\\tb'")).toBe("xa\tb\n");
    expect(await out(s, "printf '%s-%03d|%-3s|%x\\n' a 7 b 255")).toBe("a-007|b  |ff\n");
    expect(await out(s, "type k cd ls")).toBe("k is aliased to `kubectl'\ncd is a shell builtin\nls is /usr/bin/ls\n");
    const cleared = await sh(s, "clear");
    expect(cleared.stdout).toBe(CLEAR_SCREEN);
    expect(cleared.clearScreen).toBe(true);
    const exit = await sh(s, "exit 3; echo after");
    expect(exit.exitCode).toBe(3);
    expect(exit.stdout).toBe("");
    expect(exit.stderr).toContain("stays open");
    expect(await out(s, "alias ll='ls -l'; alias ll")).toBe("alias ll='ls -l'\n");
  });

  it("records history, bounded", async () => {
    const s = newShellState();
    for (let i = 0; i < HISTORY_LIMIT + 20; i++) await sh(s, `true ${i}`);
    expect(s.history).toHaveLength(HISTORY_LIMIT);
    expect((await out(s, "history 2")).split("\n")[1]).toBe(`  ${String(HISTORY_LIMIT).padStart(3)}  history 2`);
  });

  it("passes injected commands the context and aliases k to kubectl", async () => {
    const s = newShellState({ env: { KUBECONFIG: "/x" } });
    const seen: string[][] = [];
    const kubectl: CommandHandler = async (context) => {
      seen.push(context.args);
      context.exchanges.push({
        request: { method: "GET", url: "/api", headers: {}, identity: "x" },
        status: 200,
        responseBody: "{}",
        trace: [],
      });
      return { stdout: `stdin=${context.stdin} KUBECONFIG=${context.env.KUBECONFIG ?? ""}\n`, stderr: "", exitCode: 0 };
    };
    const result = await sh(s, "echo pod | k get pods -o name", { commands: { kubectl } });
    expect(seen).toEqual([["get", "pods", "-o", "name"]]);
    expect(result.stdout).toBe("stdin=pod\n KUBECONFIG=/x\n");
    expect(result.exchanges).toHaveLength(1);
    const throwing: CommandHandler = async () => {
      throw new Error("boom");
    };
    expect(await sh(s, "kubectl get", { commands: { kubectl: throwing } })).toMatchObject({
      exitCode: 1,
      stderr: "kubectl: internal error: boom\n",
    });
  });

  it("keeps stdout and stderr in order", async () => {
    const s = newShellState();
    const result = await sh(s, "echo a; ls nosuch; echo b");
    expect(result.output.map((chunk) => chunk.stream)).toEqual(["stdout", "stderr", "stdout"]);
  });

  it("opens the editor for vi / vim / nano", async () => {
    const s = newShellState();
    await sh(s, "echo hi > pod.yaml");
    expect((await sh(s, "vim pod.yaml")).openEditor).toEqual({ path: "/home/student/pod.yaml", content: "hi\n", keys: "vi" });
    expect((await sh(s, "nano new.yaml")).openEditor).toEqual({ path: "/home/student/new.yaml", content: "", keys: "plain" });
  });
});

describe("commands", () => {
  it("ls", async () => {
    const s = newShellState({ now });
    await sh(s, "mkdir d; echo 12345 > d/f; touch .hidden");
    expect(await out(s, "ls")).toBe("d\n");
    expect(await out(s, "ls -a")).toBe(".  ..  .hidden  .kube  d\n");
    expect(await out(s, "ls -1 d")).toBe("f\n");
    expect(await out(s, "ls -l d")).toBe("total 4\n-rw-r--r-- 1 student student 6 Nov 29 10:01 f\n");
    expect(await out(s, "ls -R d")).toBe("d:\nf\n");
    expect(await sh(s, "ls nosuch")).toMatchObject({ stderr: "ls: cannot access 'nosuch': No such file or directory\n", exitCode: 2 });
  });

  it("cat, mkdir, cp, mv, rm, touch, tee", async () => {
    const s = newShellState();
    expect(await out(s, "echo in | cat - ")).toBe("in\n");
    expect((await sh(s, "mkdir a/b")).stderr).toBe("mkdir: cannot create directory \u2018a/b\u2019: No such file or directory\n");
    await sh(s, "mkdir -p a/b && echo x > a/b/f && cp a/b/f g && cp -r a c && mv g h");
    expect(await out(s, "cat h c/b/f")).toBe("x\nx\n");
    expect((await sh(s, "cp a z")).stderr).toBe("cp: -r not specified; omitting directory 'a'\n");
    expect((await sh(s, "rm a")).stderr).toBe("rm: cannot remove 'a': Is a directory\n");
    expect((await sh(s, "rm nosuch")).stderr).toBe("rm: cannot remove 'nosuch': No such file or directory\n");
    expect((await sh(s, "rm -f nosuch")).exitCode).toBe(0);
    await sh(s, "rm -r a");
    expect(await out(s, "ls")).toBe("c  h\n");
    expect((await sh(s, "cat c")).stderr).toBe("cat: c: Is a directory\n");
    expect(await out(s, "echo t | tee t1 | cat; cat t1")).toBe("t\nt\n");
  });

  it("head, tail, wc, grep", async () => {
    const s = newShellState();
    await sh(s, "printf 'l1\\nl2\\nl3\\nFoo bar\\n' > f");
    expect(await out(s, "head -n 2 f")).toBe("l1\nl2\n");
    expect(await out(s, "head -2 f")).toBe("l1\nl2\n");
    expect(await out(s, "tail -n 1 f")).toBe("Foo bar\n");
    expect(await out(s, "tail -n +3 f")).toBe("l3\nFoo bar\n");
    expect(await out(s, "head -c 4 f")).toBe("l1\nl");
    expect(await out(s, "wc -l f")).toBe("4 f\n");
    expect(await out(s, "wc -w < f")).toBe("5\n");
    expect(await out(s, "grep -i foo f")).toBe("Foo bar\n");
    expect(await out(s, "grep -n l2 f")).toBe("2:l2\n");
    expect(await out(s, "grep -c l f")).toBe("3\n");
    expect(await out(s, "grep -v l f")).toBe("Foo bar\n");
    expect(await out(s, "grep -oE 'l[0-9]' f | head -1")).toBe("l1\n");
    expect((await sh(s, "grep -q l3 f")).exitCode).toBe(0);
    expect((await sh(s, "grep nomatch f")).exitCode).toBe(1);
    expect(await sh(s, "grep x nosuch")).toMatchObject({ stderr: "grep: nosuch: No such file or directory\n", exitCode: 2 });
    await sh(s, "mkdir d; echo needle > d/x");
    expect(await out(s, "grep -r needle d")).toBe("d/x:needle\n");
  });

  it("base64", async () => {
    const s = newShellState();
    expect(await out(s, "echo -n hello | base64")).toBe("aGVsbG8=\n");
    expect(await out(s, "echo -n hello | base64 | base64 -d")).toBe("hello");
    expect(await out(s, "echo -n hello | base64 --decode 2>&1; echo aGVsbG8= | base64 --decode")).toContain("hello");
    const long = "x".repeat(100);
    expect((await out(s, `echo -n ${long} | base64`)).split("\n")[0]).toHaveLength(76);
    expect(await out(s, `echo -n ${long} | base64 -w0`)).not.toContain("\n");
    expect(await sh(s, "echo '!!!' | base64 -d")).toMatchObject({ stderr: "base64: invalid input\n", exitCode: 1 });
  });

  it("date from the simulated clock", async () => {
    const s = newShellState();
    expect(await out(s, "date")).toBe("Sun Nov 29 10:01:06 UTC 2026\n");
    expect(await out(s, "date -u +%Y-%m-%dT%H:%M:%SZ")).toBe("2026-11-29T10:01:06Z\n");
    expect(await out(s, "date +%s")).toBe(`${now.getTime() / 1000}\n`);
    expect(await out(s, "date -d '+2 days' +%F")).toBe("2026-12-01\n");
    expect(await out(s, "date -d 2027-01-01 +%A")).toBe("Friday\n");
  });

  it("jq subset", async () => {
    const s = newShellState();
    const doc = JSON.stringify({
      items: [
        { metadata: { name: "a", labels: { app: "x" } }, spec: { n: 1 } },
        { metadata: { name: "b" }, spec: { n: 2 } },
      ],
    });
    await sh(s, `echo '${doc}' > list.json`);
    expect(await out(s, "jq -r '.items[].metadata.name' list.json")).toBe("a\nb\n");
    expect(await out(s, "jq '.items[0].spec' list.json")).toBe('{\n  "n": 1\n}\n');
    expect(await out(s, "jq -c '.items | map(.spec.n)' list.json")).toBe("[1,2]\n");
    expect(await out(s, `jq -r '.items[] | select(.metadata.name == "b") | .spec.n' list.json`)).toBe("2\n");
    expect(await out(s, `jq -r '.items[] | .metadata.labels.app // "none"' list.json`)).toBe("x\nnone\n");
    expect(await out(s, "jq '.items | length' list.json")).toBe("2\n");
    expect(await out(s, "jq -c 'keys' list.json")).toBe('["items"]\n');
    expect(await out(s, `jq -r '.items[] | "\\(.metadata.name)=\\(.spec.n)"' list.json`)).toBe("a=1\nb=2\n");
    expect(await out(s, `echo '[3,1,2]' | jq -c '.[] , sort'`)).toBe("3\n1\n2\n[1,2,3]\n");
    expect(await out(s, `echo '{"a":{"b":"c"}}' | jq -r .a.b`)).toBe("c\n");
    expect((await sh(s, "echo '{' | jq .")).exitCode).toBe(5); // jq 1.7 exits 5 on a parse error of its input
    expect((await sh(s, "echo 1 | jq '.['")).exitCode).toBe(3);
    expect(await sh(s, `echo '"s"' | jq '.a'`)).toMatchObject({
      exitCode: 5,
      stderr: 'jq: error (at <stdin>:1): Cannot index string with string "a"\n',
    });
  });

  it("tr, cut, sort, uniq, sed, which, env, whoami, hostname", async () => {
    const s = newShellState();
    expect(await out(s, "echo hello | tr -d l")).toBe("heo\n");
    expect(await out(s, "echo hello | tr '[:lower:]' '[:upper:]'")).toBe("HELLO\n");
    expect(await out(s, "echo a:b:c | cut -d: -f2,3")).toBe("b:c\n");
    expect(await out(s, "echo abcdef | cut -c 2-4")).toBe("bcd\n");
    expect(await out(s, "printf '10\\n9\\n10\\n' | sort -n")).toBe("9\n10\n10\n");
    expect(await out(s, "printf 'b\\na\\nb\\n' | sort -ru")).toBe("b\na\n");
    expect(await out(s, "printf 'a\\na\\nb\\n' | uniq -c")).toBe("      2 a\n      1 b\n");
    expect(await out(s, "echo aaa | sed 's/a/b/'; echo aaa | sed 's/a/b/g'")).toBe("baa\nbbb\n");
    expect(await out(s, "which ls")).toBe("/usr/bin/ls\n");
    expect((await sh(s, "which nosuch")).exitCode).toBe(1);
    expect(await out(s, "env | grep ^USER=")).toBe("USER=student\n");
    expect(await out(s, "whoami; hostname")).toBe("student\ncontrolplane\n");
  });
});

// The suite's `test` and `expect`: every spec imports them from here, not from "@playwright/test".
//
//   import { expect, test } from "./fixtures";
//
// For every page a test opens (the built-in `page`, and pages of contexts made with
// `browser.newContext()` or `newClient(browser)`), the fixture
//   - records browser console errors and warnings and uncaught page errors, and
//   - runs axe-core once per distinct URL and viewport width (a table stacked on a phone is not
//     the table of a laptop), keeping serious and critical violations: on the page
//     the test is about to leave with `page.goto`, and on each page's last URL before its context
//     closes or the test ends (never while the test acts on the page; the time it takes is added
//     to the test's timeout);
// and fails the test with a readable list of both. 4xx answers of pages and API routes are the
// app working (see isDeliberate4xx); any other message a test provokes on purpose it allows with
// `allowConsole(/pattern/)`.
import fs from "node:fs";
import { createRequire } from "node:module";
import type { AxeResults, RunOptions } from "axe-core";
import { test as base, type Browser, type BrowserContext, type Page, type TestInfo } from "@playwright/test";

export { expect } from "@playwright/test";

const REPORTED_IMPACTS = new Set(["serious", "critical"]);
/** Time granted to one axe run on top of the test's timeout (a busy machine needs seconds). */
const SCAN_ALLOWANCE_MS = 30_000;
// axe-core's own build, evaluated in the page (page.evaluate is not subject to the page's CSP)
// once per document, then `axe.run` per URL.
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_OPTIONS: RunOptions = { resultTypes: ["violations"] };

type AxeViolations = Pick<AxeResults, "violations">["violations"];

async function runAxe(page: Page): Promise<AxeViolations> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (options) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe;
    return (await axe.run(document, options)).violations;
  }, AXE_OPTIONS);
}

interface Finding {
  url: string;
  text: string;
}

class PageChecks {
  constructor(private readonly testInfo: TestInfo) {}

  readonly console: Finding[] = [];
  readonly violations: Finding[] = [];
  private readonly allowed: RegExp[] = [];
  private readonly scanned = new Set<string>();
  private readonly contexts = new WeakSet<BrowserContext>();
  private readonly pages = new Set<Page>();

  allow(pattern: RegExp): void {
    this.allowed.push(pattern);
  }

  watchBrowser(browser: Browser): () => void {
    const onContext = (context: BrowserContext) => this.watchContext(context);
    browser.on("context", onContext);
    return () => browser.off("context", onContext);
  }

  watchContext(context: BrowserContext): void {
    if (this.contexts.has(context)) return;
    this.contexts.add(context);
    context.on("page", (page) => this.watchPage(page));
    for (const page of context.pages()) this.watchPage(page);
    // Tests close their contexts themselves: look at the pages' last URLs first.
    const close = context.close.bind(context);
    context.close = async (options) => {
      await this.scanOpenPages(context.pages());
      return close(options);
    };
  }

  private watchPage(page: Page): void {
    if (this.pages.has(page)) return;
    this.pages.add(page);
    page.on("close", () => this.pages.delete(page));
    page.on("console", (message) => {
      const type = message.type();
      if (type !== "error" && type !== "warning") return;
      const { url, lineNumber } = message.location();
      if (isDeliberate4xx(message.text(), url, page.url()) || isXtermTimingWarning(message.text())) return;
      const where = url ? ` (${url}${lineNumber ? `:${lineNumber}` : ""})` : "";
      this.record(this.console, page.url(), `console.${type}: ${message.text()}${where}`);
    });
    page.on("pageerror", (error) => this.record(this.console, page.url(), `uncaught ${error.name}: ${error.message}`));
    // axe looks at a page while the test waits for it, never while the test acts on it: before
    // the test navigates the page elsewhere, before its context closes, and at the end.
    const goto = page.goto.bind(page);
    page.goto = async (url, options) => {
      await this.scan(page);
      return goto(url, options);
    };
  }

  private record(list: Finding[], url: string, text: string): void {
    list.push({ url: pathOf(url), text });
  }

  /** Runs axe on the page's current document unless this test already checked that URL at this width. */
  private async scan(page: Page): Promise<void> {
    const url = page.url();
    const key = `${url} ${page.viewportSize()?.width ?? 0}`;
    if (page.isClosed() || !/^https?:/.test(url) || this.scanned.has(key)) return;
    this.scanned.add(key);
    // The test's own time limit does not pay for the checks: they get an allowance up front, and
    // the limit ends up raised by the time they took.
    const started = Date.now();
    this.testInfo.setTimeout(this.testInfo.timeout + SCAN_ALLOWANCE_MS);
    try {
      await page.waitForLoadState("load");
      if (page.url() !== url) throw new Error("navigated away");
      // Only HTML documents: a CSV download or a JSON response the test opened is not a page.
      if ((await page.evaluate(() => document.contentType)) !== "text/html") return;
      const violations = await runAxe(page);
      if (page.url() !== url) throw new Error("navigated away");
      for (const violation of violations) {
        if (!REPORTED_IMPACTS.has(violation.impact ?? "")) continue;
        const nodes = violation.nodes.slice(0, 5).map((node) => {
          const summary = (node.failureSummary ?? "").split("\n").slice(1, 3).join(" ").trim();
          return `      ${node.target.join(" ")}${summary ? ` — ${summary}` : ""}`;
        });
        const more = violation.nodes.length > 5 ? [`      … and ${violation.nodes.length - 5} more`] : [];
        this.record(
          this.violations,
          url,
          [`[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})`, ...nodes, ...more].join("\n"),
        );
      }
    } catch {
      // The page navigated or closed while axe ran: the next look takes whatever it shows then.
      this.scanned.delete(key);
    } finally {
      this.testInfo.setTimeout(this.testInfo.timeout - SCAN_ALLOWANCE_MS + (Date.now() - started));
    }
  }

  async scanOpenPages(pages: Iterable<Page> = this.pages): Promise<void> {
    await Promise.all([...pages].map((page) => this.scan(page)));
  }

  report(): string | undefined {
    const sections: string[] = [];
    const group = (title: string, findings: Finding[]) => {
      if (findings.length === 0) return;
      const byUrl = new Map<string, string[]>();
      for (const finding of findings) byUrl.set(finding.url, [...(byUrl.get(finding.url) ?? []), finding.text]);
      sections.push(
        `${title}:\n${[...byUrl].map(([url, texts]) => `  ${url}\n${[...new Set(texts)].map((text) => `    ${text}`).join("\n")}`).join("\n")}`,
      );
    };
    group("Accessibility violations (axe-core, serious and critical)", this.violations);
    group(
      "Browser console errors and warnings",
      this.console.filter((finding) => !this.allowed.some((pattern) => pattern.test(finding.text))),
    );
    return sections.length > 0 ? sections.join("\n\n") : undefined;
  }
}

/**
 * Chromium logs every 4xx as "Failed to load resource". For a page (a 403 or 404 the test asks
 * for) or an API route (bad input, a wrong password, a rate limit) that is the app answering as
 * designed; a 4xx on a script, style sheet, image or icon is a missing asset and is reported, and
 * so is every 5xx.
 */
function isDeliberate4xx(text: string, resourceUrl: string, pageUrl: string): boolean {
  if (!/^Failed to load resource: the server responded with a status of 4\d\d\b/.test(text) || !resourceUrl) return false;
  const resource = new URL(resourceUrl);
  return resource.pathname.startsWith("/api/") || pathOf(resourceUrl) === pathOf(pageUrl);
}

/**
 * xterm's TaskQueue (src/common/TaskQueue.ts) calls `console.warn` directly, not through its log
 * service, so the `logLevel` option cannot silence it, when one idle-time task (rendering or
 * measuring rows) overran its frame by more than 20 ms. On two cores shared by several browsers
 * and a server that happens whenever the machine is busy; it says nothing about the app.
 */
function isXtermTimingWarning(text: string): boolean {
  return /^task queue exceeded allotted deadline by \d+ms$/.test(text);
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

interface Fixtures {
  /** Allows browser console messages (errors, warnings) matching the pattern in this test. */
  allowConsole: (pattern: RegExp) => void;
  pageChecks: PageChecks;
}

export const test = base.extend<Fixtures>({
  pageChecks: [
    async ({ browser }, provide, testInfo) => {
      const checks = new PageChecks(testInfo);
      const unwatch = checks.watchBrowser(browser);
      await provide(checks);
      unwatch();
      await checks.scanOpenPages();
      const report = checks.report();
      if (report) throw new Error(`Page checks failed\n\n${report}`);
    },
    { auto: true },
  ],
  context: async ({ context, pageChecks }, provide) => {
    pageChecks.watchContext(context);
    await provide(context);
    await pageChecks.scanOpenPages(context.pages());
  },
  allowConsole: async ({ pageChecks }, provide) => {
    await provide((pattern) => pageChecks.allow(pattern));
  },
});

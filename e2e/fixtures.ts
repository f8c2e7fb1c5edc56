// The suite's `test` and `expect`: every spec imports them from here, not from "@playwright/test".
//
//   import { expect, test } from "./fixtures";
//
// For every page a test opens (the built-in `page`, and pages of contexts made with
// `browser.newContext()` or `newClient(browser)`), the fixture
//   - records browser console errors and warnings and uncaught page errors, and
//   - runs axe-core once per distinct URL (after each navigation settles, and on the page's last
//     URL before its context closes or the test ends), keeping serious and critical violations;
// and fails the test with a readable list of both. A test that provokes a console message on
// purpose (say, a 429 the page shows) allows it with `allowConsole(/pattern/)`.
import AxeBuilder from "@axe-core/playwright";
import { test as base, type Browser, type BrowserContext, type Page } from "@playwright/test";

export { expect } from "@playwright/test";

/** Wait this long after a navigation before axe looks, so the page has rendered. */
const SETTLE_MS = 400;
const REPORTED_IMPACTS = new Set(["serious", "critical"]);

interface Finding {
  url: string;
  text: string;
}

class PageChecks {
  readonly console: Finding[] = [];
  readonly violations: Finding[] = [];
  private readonly allowed: RegExp[] = [];
  private readonly scanned = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
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
      const where = url ? ` (${url}${lineNumber ? `:${lineNumber}` : ""})` : "";
      this.record(this.console, page.url(), `console.${type}: ${message.text()}${where}`);
    });
    page.on("pageerror", (error) => this.record(this.console, page.url(), `uncaught ${error.name}: ${error.message}`));
    let timer: NodeJS.Timeout | undefined;
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame()) return;
      clearTimeout(timer);
      timer = setTimeout(() => this.track(this.scan(page)), SETTLE_MS);
    });
  }

  private record(list: Finding[], url: string, text: string): void {
    list.push({ url: pathOf(url), text });
  }

  private track(work: Promise<void>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /** Runs axe on the page's current document unless this test already checked that URL. */
  private async scan(page: Page): Promise<void> {
    const url = page.url();
    if (page.isClosed() || !/^https?:/.test(url) || this.scanned.has(url)) return;
    this.scanned.add(url);
    try {
      await page.waitForLoadState("load");
      if (page.url() !== url) throw new Error("navigated away");
      // Only HTML documents: a CSV download or a JSON response the test opened is not a page.
      if ((await page.evaluate(() => document.contentType)) !== "text/html") return;
      // Legacy mode runs axe inside the page; the default opens a second page per run.
      const results = await new AxeBuilder({ page }).setLegacyMode(true).analyze();
      if (page.url() !== url) throw new Error("navigated away");
      for (const violation of results.violations) {
        if (!REPORTED_IMPACTS.has(violation.impact ?? "")) continue;
        const nodes = violation.nodes.slice(0, 5).map((node) => {
          const summary = (node.failureSummary ?? "").split("\n").slice(1, 3).join(" ").trim();
          return `      ${node.target.join(" ")}${summary ? ` — ${summary}` : ""}`;
        });
        const more = violation.nodes.length > 5 ? [`      … and ${violation.nodes.length - 5} more`] : [];
        this.record(this.violations, url, [`[${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})`, ...nodes, ...more].join("\n"));
      }
    } catch {
      // The page navigated or closed while axe ran: the next settle (or the end of the test)
      // looks at whatever it shows then.
      this.scanned.delete(url);
    }
  }

  async scanOpenPages(pages: Iterable<Page> = this.pages): Promise<void> {
    await Promise.all([...this.pending]);
    await Promise.all([...pages].map((page) => this.scan(page)));
  }

  report(): string | undefined {
    const sections: string[] = [];
    const group = (title: string, findings: Finding[]) => {
      if (findings.length === 0) return;
      const byUrl = new Map<string, string[]>();
      for (const finding of findings) byUrl.set(finding.url, [...(byUrl.get(finding.url) ?? []), finding.text]);
      sections.push(`${title}:\n${[...byUrl].map(([url, texts]) => `  ${url}\n${[...new Set(texts)].map((text) => `    ${text}`).join("\n")}`).join("\n")}`);
    };
    group("Accessibility violations (axe-core, serious and critical)", this.violations);
    group("Browser console errors and warnings", this.console.filter((finding) => !this.allowed.some((pattern) => pattern.test(finding.text))));
    return sections.length > 0 ? sections.join("\n\n") : undefined;
  }
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
    async ({ browser }, provide) => {
      const checks = new PageChecks();
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

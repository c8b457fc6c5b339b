import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { requireService } from './services.ts';

/** Debian's Chromium (`apt-get install chromium`); CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Chromium with a fresh user-data dir (so a fresh cookie jar); both go away when `t` ends. */
export async function launchChromium(
  t: TestContext,
  viewport: { width: number; height: number } = { width: 1100, height: 900 },
): Promise<BrowserContext | null> {
  const found = await requireService(
    t,
    'Chromium',
    `apt-get install chromium (looked for ${chromiumPath})`,
    async () => {
      await access(chromiumPath, constants.X_OK);
      return true;
    },
  );
  if (!found) return null;
  const userDataDir = await mkdtemp(join(tmpdir(), 'session-lab-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
  });
  t.after(async () => {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  });
  return context;
}

/** The few browser globals the tests read (the project compiles without the DOM library). */
interface BrowserGlobals {
  document: { cookie: string; body: { dataset: Record<string, string | undefined> } };
}

// Functions, not strings: the page's Content-Security-Policy forbids evaluating strings.
/** `document.cookie` as the page's own scripts see it. */
export function documentCookie(page: Page): Promise<string> {
  return page.evaluate(() => (globalThis as unknown as BrowserGlobals).document.cookie);
}

/** How many times the inspector page has finished drawing (its `data-updates` counter). */
function updates(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number((globalThis as unknown as BrowserGlobals).document.body.dataset.updates ?? 0),
  );
}

function waitReady(page: Page, after = 0): Promise<unknown> {
  return page.waitForFunction((n) => {
    const { dataset } = (globalThis as unknown as BrowserGlobals).document.body;
    return dataset.state === 'ready' && Number(dataset.updates ?? 0) > n;
  }, after);
}

/** Opens the inspector at `base` and waits until it has drawn the session. */
export async function openInspector(context: BrowserContext, base: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${base}/`);
  await waitReady(page);
  return page;
}

/** Reloads the page and waits until it has drawn the session again. */
export async function reloadInspector(page: Page): Promise<void> {
  await page.reload();
  await waitReady(page);
}

/** Presses one of the page's buttons (filling its text box first) and waits for the redrawn view. */
export async function pressAction(page: Page, label: string, value?: string): Promise<string> {
  const before = await updates(page);
  const form = page.locator('#action-list form', {
    has: page.getByRole('button', { name: label, exact: true }),
  });
  if (value !== undefined) await form.locator('input').fill(value);
  await form.getByRole('button').click();
  await waitReady(page, before);
  return (await page.locator('#answer').textContent()) ?? '';
}

/** Presses "Refresh view": the page asks `GET /inspect` again and shows that request's trace. */
export async function refreshView(page: Page): Promise<void> {
  const before = await updates(page);
  await page.getByRole('button', { name: 'Refresh view' }).click();
  await waitReady(page, before);
}

/** The session as the page shows it (the JSON the server sent to `/inspect`). */
export async function shownSession(page: Page): Promise<unknown> {
  return JSON.parse((await page.locator('#session').textContent()) ?? 'null');
}

/** A step-specific panel's rows, by row label. */
export async function panelRows(page: Page, title: string): Promise<Record<string, string>> {
  const panel = page.locator('section.panel', { has: page.getByRole('heading', { name: title }) });
  const labels = await panel.locator('dt').allTextContents();
  const values = await panel.locator('dd').allTextContents();
  return Object.fromEntries(labels.map((label, i) => [label, values[i] ?? '']));
}

/** The answer line under the buttons, and whether it is drawn as an error. */
export async function shownAnswer(page: Page): Promise<{ text: string; error: boolean }> {
  const answer = page.locator('#answer');
  return {
    text: (await answer.textContent()) ?? '',
    error: (await answer.getAttribute('class')) === 'error',
  };
}

/** The few layout globals the checks below read. */
interface LayoutGlobals {
  document: {
    querySelector(selector: string): LayoutElement | null;
    createTreeWalker(root: LayoutElement, whatToShow: number): { nextNode(): TextNode | null };
    createRange(): {
      setStart(node: TextNode, offset: number): void;
      setEnd(node: TextNode, offset: number): void;
      getClientRects(): ArrayLike<{ top: number; width: number }>;
    };
  };
  getComputedStyle(element: LayoutElement): { paddingLeft: string; paddingRight: string; columnGap: string };
}
interface LayoutElement {
  readonly children: ArrayLike<LayoutElement>;
  readonly classList: { contains(name: string): boolean };
  getBoundingClientRect(): { left: number; right: number };
}
interface TextNode {
  readonly data: string;
}

/**
 * The horizontal stretches of the page's main grid that no box (but the full-width one) covers,
 * wider than 2 px: an empty column shows up here.
 */
export function emptyColumns(page: Page): Promise<Array<[from: number, to: number]>> {
  return page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as unknown as LayoutGlobals;
    const main = document.querySelector('main')!;
    const box = main.getBoundingClientRect();
    const style = getComputedStyle(main);
    const spans = Array.from(main.children)
      .filter((child) => !child.classList.contains('wide'))
      .map((child) => child.getBoundingClientRect())
      .sort((a, b) => a.left - b.left);
    const gaps: Array<[number, number]> = [];
    const columnGap = Number.parseFloat(style.columnGap) || 0;
    let covered = box.left + Number.parseFloat(style.paddingLeft);
    for (const span of spans) {
      if (span.left - covered > columnGap + 2) gaps.push([covered, span.left]);
      covered = Math.max(covered, span.right);
    }
    const end = box.right - Number.parseFloat(style.paddingRight);
    if (end - covered > 2) gaps.push([covered, end]);
    return gaps;
  });
}

/** Every run of digits on the page that is drawn on more than one line (e.g. "26784" / "00 s"). */
export function brokenNumbers(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as LayoutGlobals;
    const walker = document.createTreeWalker(document.querySelector('body')!, 4 /* NodeFilter.SHOW_TEXT */);
    const broken: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\d{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set(
          Array.from(range.getClientRects())
            .filter((r) => r.width > 0)
            .map((r) => Math.round(r.top)),
        );
        if (tops.size > 1) broken.push(match[0]);
      }
    }
    return broken;
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';

// `npm run screenshots [-- NN ...]`: starts each step's real server (`npm run step -- NN`), drives its inspector page
// through a few actions in Chromium, and writes lessons/images/NN-slug.png.

/** One step's picture: its folder, the env its server needs, and the buttons to press first. */
interface Shot {
  step: string;
  env?: Record<string, string>;
  /** How much of the page's top to keep, in CSS pixels. */
  height: number;
  actions: Array<[label: string, value?: string]>;
}

const shots: Shot[] = [
  { step: '01-raw-http', height: 900, actions: [['Log in', 'alice'], ['Add to cart', 'apple'], ['Count']] },
  {
    step: '02-signed-cookie',
    height: 980,
    env: { FLASK_SECRET_KEY: 'screenshot-key' },
    actions: [['Log in, remember me', 'alice'], ['Add to cart', 'apple'], ['Count']],
  },
  {
    step: '03-json-file',
    height: 980,
    env: { FLASK_SECRET_KEY: 'screenshot-key' },
    actions: [['Log in', 'alice'], ['Add to cart', 'apple'], ['Count']],
  },
  {
    step: '04-flask-session',
    height: 980,
    actions: [['Log in', 'alice'], ['Add to cart', 'apple'], ['Count']],
  },
];

const root = fileURLToPath(new URL('../..', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const width = Number(process.env.SCREENSHOT_WIDTH ?? 860);

// Each server runs in a scratch folder, so files a step keeps in its working directory stay out of the repository.
function startServer(shot: Shot, cwd: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), join(root, 'src', 'tools', 'step.ts'), shot.step.slice(0, 2)],
    {
      cwd,
      env: { ...process.env, PORT: '0', ...shot.env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (match) resolve({ child, base: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`${shot.step} exited with ${code} before listening`)));
  });
}

async function press(page: Page, label: string, value?: string): Promise<void> {
  const form = page.locator('#action-list form', {
    has: page.getByRole('button', { name: label, exact: true }),
  });
  if (value !== undefined) await form.locator('input').fill(value);
  const answered = page.waitForResponse((response) => response.url().endsWith('/inspect'));
  await form.getByRole('button').click();
  await answered;
  await page.waitForSelector('body[data-state="ready"]');
}

function pageHeight(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document
        .documentElement.scrollHeight,
  );
}

async function takeShot(page: Page, shot: Shot, base: string): Promise<string> {
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-state="ready"]');
  for (const [label, value] of shot.actions) await press(page, label, value);
  const file = join(root, 'lessons', 'images', `${shot.step}.png`);
  // The top of the page (actions, session, the last request's timeline) keeps the file small.
  await page.screenshot({
    path: file,
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(shot.height, await pageHeight(page)) },
  });
  return file;
}

const wanted = process.argv.slice(2);
const userDataDir = await mkdtemp(join(tmpdir(), 'session-lab-screenshots-'));
const workDir = await mkdtemp(join(tmpdir(), 'session-lab-screenshot-servers-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
  viewport: { width, height: 700 },
});
try {
  for (const shot of shots.filter((s) => wanted.length === 0 || wanted.includes(s.step.slice(0, 2)))) {
    const { child, base } = await startServer(shot, workDir);
    try {
      await browser.clearCookies();
      const file = await takeShot(browser.pages()[0] ?? (await browser.newPage()), shot, base);
      console.log(`${file.slice(root.length)}  ${Math.round((await stat(file)).size / 1024)} KB`);
    } finally {
      child.kill('SIGTERM');
    }
  }
} finally {
  await browser.close();
  await rm(userDataDir, { recursive: true, force: true });
  await rm(workDir, { recursive: true, force: true });
}

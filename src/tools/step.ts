import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Flask } from '../01-raw-http/app.ts';
import { runMain } from '../01-raw-http/serve.ts';
import { mountInspector } from '../inspector/mount.ts';

/** What every step's main.ts exports: its app from the environment, and what to close on shutdown. */
interface StepMain {
  build(env: NodeJS.ProcessEnv): Flask | Promise<Flask>;
  close?(): Promise<void>;
}

// `npm run step -- 02` runs the step whose folder name starts with 02-, with its inspector page at /.
const src = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv[2] ?? '';
const steps = readdirSync(src)
  .filter((name) => /^\d\d-/.test(name))
  .sort();
const folder = steps.find((name) => name.startsWith(`${wanted.padStart(2, '0')}-`));
if (!wanted || !folder) {
  console.error(`usage: npm run step -- <NN>   (one of: ${steps.map((s) => s.slice(0, 2)).join(', ')})`);
  process.exit(2);
}
const step = (await import(new URL(`../${folder}/main.ts`, import.meta.url).href)) as StepMain;
await runMain(async (env) => mountInspector(folder, await step.build(env)), step.close);

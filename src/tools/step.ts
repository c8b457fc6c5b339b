import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `npm run step -- 02` runs the main.ts of the step folder whose name starts with 02-.
const src = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv[2] ?? '';
const steps = readdirSync(src).filter((name) => /^\d\d-/.test(name)).sort();
const folder = steps.find((name) => name.startsWith(`${wanted.padStart(2, '0')}-`));
if (!wanted || !folder) {
  console.error(`usage: npm run step -- <NN>   (one of: ${steps.map((s) => s.slice(0, 2)).join(', ')})`);
  process.exit(2);
}
await import(new URL(`../${folder}/main.ts`, import.meta.url).href);

import { fileURLToPath } from 'node:url';
import { runCli } from './cli-commands.ts';

// `npm run exercise` lists the exercises; `npm run exercise -- <id>` checks your starter.
const root = fileURLToPath(new URL('../..', import.meta.url));
process.exitCode = await runCli(process.argv.slice(2), { root, out: (line) => console.log(line) });

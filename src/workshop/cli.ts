import { fileURLToPath } from 'node:url';
import { runCli } from './cli-commands.ts';

// `npm run exercise` lists the exercises; `npm run exercise -- <id>` checks your starter.
const root = fileURLToPath(new URL('../..', import.meta.url));
// Clear the screen and its scrollback, then home the cursor; only a terminal understands it.
const clearScreen = process.stdout.isTTY
  ? () => void process.stdout.write('\x1b[2J\x1b[3J\x1b[H')
  : undefined;
process.exitCode = await runCli(process.argv.slice(2), {
  root,
  out: (line) => console.log(line),
  clearScreen,
});

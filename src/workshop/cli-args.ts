/** What `npm run exercise` was asked to do. */
export type Command =
  | { readonly kind: 'list' | 'help' | 'verify' }
  | { readonly kind: 'watch'; readonly id: string | undefined }
  | { readonly kind: 'run' | 'hint' | 'reset' | 'solution'; readonly id: string };

/** Printed by `--help`, and after a usage error. */
export const usage = [
  'usage: npm run exercise                             the exercises in lesson order, N/M done and what is next',
  '       npm run exercise -- <id>                     check your solution (the type check, then every check)',
  '       npm run exercise -- <id> --hint              a hint',
  '       npm run exercise -- [<id>] --watch           rerun on every save; after a pass, move on to the next one',
  '       npm run exercise -- <id> --solution          the reference solution, once yours passes',
  '       npm run exercise -- <id> --reset             put the starter back as shipped (your code in it is lost)',
  '       npm run exercise -- --verify-starters-fail   every starter reports "not started" (run by CI)',
  '       npm run exercise -- --help',
].join('\n');

type Mode = 'hint' | 'watch' | 'reset' | 'solution' | 'verify' | 'help';

const modes: Record<string, Mode> = {
  '--hint': 'hint',
  '--watch': 'watch',
  '--reset': 'reset',
  '--solution': 'solution',
  '--verify-starters-fail': 'verify',
  '--help': 'help',
  '-h': 'help',
};

/** Reads the arguments after `npm run exercise --`; a string is a usage error to print (exit 2). */
export function parseCommand(argv: readonly string[]): Command | string {
  const flags = argv.filter((a) => a.startsWith('-'));
  const ids = argv.filter((a) => !a.startsWith('-'));
  const unknown = flags.find((f) => !Object.hasOwn(modes, f));
  if (unknown) return `unknown argument ${unknown}\n${usage}`;
  const kinds = [...new Set(flags.map((f) => modes[f]!))];
  if (kinds.includes('help')) return { kind: 'help' };
  if (kinds.length > 1) return `choose one of ${flags.join(', ')}\n${usage}`;
  if (ids.length > 1) return `one exercise at a time: unexpected ${ids[1]}\n${usage}`;
  const [kind] = kinds;
  const id = ids[0];
  switch (kind) {
    case undefined:
      return id === undefined ? { kind: 'list' } : { kind: 'run', id };
    case 'help':
      return { kind };
    case 'watch':
      return { kind, id };
    case 'verify':
      return id === undefined ? { kind } : `--verify-starters-fail takes no exercise id\n${usage}`;
    default:
      return id === undefined
        ? `${flags[0]} needs an exercise id: npm run exercise -- <id> ${flags[0]}\n${usage}`
        : { kind, id };
  }
}

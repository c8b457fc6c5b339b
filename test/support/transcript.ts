/**
 * Lesson transcripts: fenced `console` blocks whose `$ ` lines are commands and whose other
 * lines are the output those commands print. `<!-- server: K=v … -->` before a block restarts
 * the step's server with that environment for that block and the ones after it.
 */

/** One command of a transcript and the output the lesson says it prints. */
export interface TranscriptCommand {
  /** 1-based line of the `$ ` line in the lesson. */
  readonly line: number;
  readonly command: string;
  readonly expected: readonly string[];
}

/** One console block; `serverEnv` is set when a server marker precedes it. */
export interface TranscriptBlock {
  readonly line: number;
  readonly serverEnv: Readonly<Record<string, string>> | undefined;
  readonly commands: readonly TranscriptCommand[];
}

const serverMarker = /^<!--\s*server:(.*?)-->\s*$/;
const fence = /^(`{3,}|~{3,})\s*([\w-]*)/;

/** The console blocks of a lesson, in order; throws on a block that does not start with a command. */
export function parseTranscripts(markdown: string): TranscriptBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: TranscriptBlock[] = [];
  let pendingEnv: Record<string, string> | undefined;
  for (let i = 0; i < lines.length; i++) {
    const marker = serverMarker.exec(lines[i]!.trim());
    if (marker) pendingEnv = parseEnv(marker[1]!, i + 1);
    const open = fence.exec(lines[i]!);
    if (!open) continue;
    const end = closing(lines, i, open[1]!);
    if (open[2] === 'console') {
      blocks.push({
        line: i + 1,
        serverEnv: pendingEnv,
        commands: parseCommands(lines.slice(i + 1, end), i + 2),
      });
      pendingEnv = undefined;
    }
    i = end;
  }
  return blocks;
}

function closing(lines: string[], open: number, marker: string): number {
  for (let j = open + 1; j < lines.length; j++) {
    if (new RegExp(`^\\${marker[0]}{${marker.length},}\\s*$`).test(lines[j]!.trim())) return j;
  }
  return lines.length;
}

/** `K=v K2='a b' K3="c"` → { K: 'v', K2: 'a b', K3: 'c' }. */
export function parseEnv(text: string, line: number): Record<string, string> {
  const env: Record<string, string> = {};
  const rest = text.replace(
    /([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|"([^"]*)"|(\S*))/g,
    (_, key: string, single?: string, double?: string, bare?: string) => {
      env[key] = single ?? double ?? bare ?? '';
      return '';
    },
  );
  if (rest.trim())
    throw new Error(
      `line ${line}: cannot read ${JSON.stringify(rest.trim())} in the server marker (write KEY=value pairs)`,
    );
  return env;
}

function parseCommands(body: string[], firstLine: number): TranscriptCommand[] {
  const commands: Array<{ line: number; command: string; expected: string[] }> = [];
  for (let k = 0; k < body.length; k++) {
    const text = body[k]!;
    if (text.startsWith('$ ')) {
      const line = firstLine + k;
      let command = text.slice(2);
      // A trailing backslash continues the command on the next line, as in a shell.
      while (command.endsWith('\\') && k + 1 < body.length) command += `\n${body[++k]!}`;
      commands.push({ line, command, expected: [] });
    } else if (commands.length === 0) {
      if (text.trim())
        throw new Error(`line ${firstLine + k}: a console block must start with a "$ " command`);
    } else {
      commands.at(-1)!.expected.push(text);
    }
  }
  return commands;
}

/** CRLF → LF, no trailing whitespace on any line, no trailing blank lines. */
export function normalizeOutput(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** True when `actual` matches `expected` line for line; `…` in an expected line matches any text within that line. */
export function outputMatches(expected: readonly string[], actual: string): boolean {
  const want = normalizeOutput(expected.join('\n'));
  const got = normalizeOutput(actual);
  if (want.length !== got.length) return false;
  return want.every((line, i) => linePattern(line).test(got[i]!));
}

function linePattern(line: string): RegExp {
  const parts = line.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/**
 * Named regions: code marks `// #region name` … `// #endregion name`, lessons cite them with
 * `<!-- include: path#name -->` followed by a fenced `ts` block holding the region's text.
 * Shared by `npm run lessons:sync` and the lesson test, so both read the format the same way.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/** One region of a source file: its text without marker lines, de-indented. */
export interface Region {
  readonly file: string;
  readonly name: string;
  readonly line: number;
  readonly text: string;
}

/** A malformed region or include: where it is and what is wrong. */
export class RegionError extends Error {
  override name = 'RegionError';
}

const marker = /^\s*\/\/\s*#(region|endregion)\b(.*)$/;
const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Every region of one file by name; throws on a duplicate, an unclosed or an unopened region. */
export function parseRegions(file: string, source: string): Map<string, Region> {
  const lines = source.split(/\r?\n/);
  const open = new Map<string, number>();
  const regions = new Map<string, Region>();
  lines.forEach((line, index) => {
    const match = marker.exec(line);
    if (!match) return;
    const [, kind, rest = ''] = match;
    const name = rest.trim();
    const where = `${file}:${index + 1}`;
    if (!kebab.test(name))
      throw new RegionError(`${where}: #${kind} needs a kebab-case name, got ${JSON.stringify(name)}`);
    if (kind === 'region') {
      if (open.has(name) || regions.has(name))
        throw new RegionError(`${where}: duplicate region "${name}" in ${file}`);
      open.set(name, index);
      return;
    }
    const start = open.get(name);
    if (start === undefined) throw new RegionError(`${where}: #endregion ${name} without a matching #region`);
    open.delete(name);
    const body = lines.slice(start + 1, index).filter((l) => !marker.test(l));
    regions.set(name, { file, name, line: start + 1, text: dedent(body).join('\n') });
  });
  for (const [name, start] of open)
    throw new RegionError(`${file}:${start + 1}: region "${name}" is never closed (#endregion ${name})`);
  return regions;
}

/** Removes the least indent of the non-blank lines from every line; blank lines become empty. */
function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  const least = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(least)));
}

/** One `<!-- include: path#region -->` in a lesson and the fenced block after it, if any. */
export interface Include {
  readonly lesson: string;
  readonly path: string;
  readonly region: string;
  /** 0-based line of the marker. */
  readonly line: number;
  /** The block's lines (between the fences), or undefined when no ```ts block follows the marker. */
  readonly block: { readonly text: string; readonly end: number } | undefined;
}

const includeMarker = /^<!--\s*include:\s*(\S+?)#([^\s#]+)\s*-->\s*$/;
const fenceOpen = /^(`{3,}|~{3,})\s*([\w-]*)/;

/** Every include of a lesson, skipping markers shown inside other fenced blocks. */
export function parseIncludes(lesson: string, markdown: string): Include[] {
  const lines = markdown.split(/\r?\n/);
  const includes: Include[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = fenceOpen.exec(lines[i]!);
    if (fence) {
      i = closingFence(lines, i, fence[1]!);
      continue;
    }
    const match = includeMarker.exec(lines[i]!.trim());
    if (!match) continue;
    const next = fenceOpen.exec(lines[i + 1] ?? '');
    let block: Include['block'];
    if (next && next[2] === 'ts') {
      const end = closingFence(lines, i + 1, next[1]!);
      block = { text: lines.slice(i + 2, end).join('\n'), end };
    }
    includes.push({ lesson, path: match[1]!, region: match[2]!, line: i, block });
    if (block) i = block.end;
  }
  return includes;
}

// A fence closes with the same character, at least as long, and nothing else on the line.
function closingFence(lines: string[], open: number, fence: string): number {
  for (let j = open + 1; j < lines.length; j++) {
    const line = lines[j]!.trim();
    if (line.startsWith(fence) && new RegExp(`^\\${fence[0]}+$`).test(line)) return j;
  }
  return lines.length;
}

/** A ```ts fence long enough that no backtick run in `text` closes it early. */
export function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** Paths of every `.ts` file under `dir`, sorted, repo-relative to `root`. */
export function sourceFiles(root: string, dir = 'src'): string[] {
  const found: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) found.push(path);
    }
  };
  walk(dir);
  return found.sort();
}

/** Resolves a cited path inside `root`; a path that leaves the repo is an error, not a read. */
export function insideRoot(root: string, path: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (isAbsolute(path) || rel.startsWith('..') || isAbsolute(rel))
    throw new RegionError(`${path} is outside the repository`);
  return full;
}

/** Reads and parses one file's regions. */
export function readRegions(root: string, path: string): Map<string, Region> {
  return parseRegions(path, readFileSync(insideRoot(root, path), 'utf8'));
}

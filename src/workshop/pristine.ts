import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** What every starter carries until the learner solves it. */
export const todoMarker = /\/\/ TODO\(exercise\)/;

/** A starter as the project ships it, and the commit it was read from. */
interface PristineStarter {
  readonly text: string;
  readonly commit: string;
}

/**
 * The newest committed version of `path` that still carries `// TODO(exercise)`: git's HEAD
 * version in a fresh clone, an earlier one once a learner has committed their own solution.
 * Undefined without git, outside a repository, or when no committed version has the marker.
 */
export async function pristineStarter(root: string, path: string): Promise<PristineStarter | undefined> {
  let commits: string[];
  try {
    commits = (await git(root, 'log', '--format=%H', '--', path)).split('\n').filter(Boolean);
  } catch {
    return undefined;
  }
  for (const commit of commits) {
    // The commit that deleted the file has no version of it to show.
    const text = await git(root, 'show', `${commit}:${path}`).catch(() => '');
    if (todoMarker.test(text)) return { text, commit };
  }
  return undefined;
}

/** `pristine` when the starter is as shipped, `own` once the learner changed it, `unknown` without a shipped version in git. */
export async function starterState(root: string, path: string): Promise<'pristine' | 'own' | 'unknown'> {
  const pristine = await pristineStarter(root, path);
  if (!pristine) return 'unknown';
  let text: string;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch {
    return 'own';
  }
  return text === pristine.text ? 'pristine' : 'own';
}

async function git(root: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', root, ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { API, DiagnosticCategory, type Diagnostic, type Snapshot } from 'typescript/unstable/async';

/** One error TypeScript found in a learner's file, placed as `file:line:col` like tsc places it. */
export interface TypeProblem {
  /** Repository-relative path, with `:line:col` when the error has a place in a file. */
  readonly where: string;
  readonly code: number;
  readonly message: string;
}

// The project's tsconfig narrowed to the starters. It is served from memory, never written into
// the learner's tree, and loads about 170 files instead of the whole project's 900.
const configName = 'tsconfig.workshop.json';

/**
 * Check zero: type-checks starters with the project's compiler options (tsconfig.json). One
 * TypeScript program lives between runs, so `--watch` re-checks a saved file in milliseconds
 * where a cold `tsc` takes a second or more.
 */
export class TypeCheck {
  readonly #root: string;
  readonly #config: string;
  readonly #configText: string;
  #api: API | undefined;
  #snapshot: Snapshot | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  /** `starters`: repository-relative paths of every file this checker will be asked about. */
  constructor(root: string, starters: readonly string[]) {
    this.#root = root;
    this.#config = join(root, configName);
    this.#configText = JSON.stringify({
      extends: './tsconfig.json',
      files: starters.map((s) => join(root, s)),
      include: [],
    });
  }

  /** The type errors of `starter` as it is on disk now; empty when it type-checks. */
  problems(starter: string): Promise<TypeProblem[]> {
    const run = this.#queue.then(() => this.#check(join(this.#root, starter)));
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Stops the TypeScript process; the checker is unusable afterwards. */
  async close(): Promise<void> {
    await this.#queue;
    await this.#api?.close();
    this.#api = undefined;
  }

  async #check(file: string): Promise<TypeProblem[]> {
    const program = (await this.#update(file)).getProject(this.#config)?.program;
    if (!program)
      throw new Error(
        `TypeScript did not load ${configName} (the project's tsconfig.json narrowed to the starters)`,
      );
    const found = [
      ...(await program.getConfigFileParsingDiagnostics()),
      ...(await program.getSyntacticDiagnostics(file)),
      ...(await program.getSemanticDiagnostics(file)),
    ].filter((d) => d.category === DiagnosticCategory.Error);
    const text = found.length ? readFileSync(file, 'utf8') : '';
    return found.map((d) => ({ where: this.#place(d, file, text), code: d.code, message: flatten(d) }));
  }

  // The first call loads the program; later calls tell TypeScript the file changed, which reuses
  // everything else it parsed and checked.
  async #update(file: string): Promise<Snapshot> {
    const previous = this.#snapshot;
    this.#api ??= new API({
      cwd: this.#root,
      fs: {
        readFile: (name) => (name === this.#config ? this.#configText : undefined),
        fileExists: (name) => (name === this.#config ? true : undefined),
      },
    });
    this.#snapshot = await this.#api.updateSnapshot(
      previous ? { fileChanges: { changed: [file] } } : { openProjects: [this.#config] },
    );
    await previous?.dispose();
    return this.#snapshot;
  }

  #place(diagnostic: Diagnostic, file: string, text: string): string {
    if (diagnostic.fileName === this.#config) return 'tsconfig.json';
    const path = relative(this.#root, diagnostic.fileName ?? file);
    if (diagnostic.fileName !== file) return path;
    const before = text.slice(0, diagnostic.pos);
    const line = before.split('\n').length;
    return `${path}:${line}:${diagnostic.pos - before.lastIndexOf('\n')}`;
  }
}

/** tsc's message with its chain of reasons, each level indented under the one it explains. */
function flatten(diagnostic: Diagnostic, depth = 0): string {
  const lines = [`${'  '.repeat(depth)}${diagnostic.text}`];
  for (const reason of diagnostic.messageChain ?? []) lines.push(flatten(reason, depth + 1));
  return lines.join('\n');
}

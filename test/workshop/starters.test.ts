import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { API } from 'typescript/unstable/async';
import { type ImportDeclaration, type SourceFile, type Statement, SyntaxKind } from 'typescript/unstable/ast';
import { loadCatalog } from '../../src/workshop/catalog.ts';
import { starterState, todoMarker } from '../../src/workshop/pristine.ts';
import { runChecks } from '../../src/workshop/run-checks.ts';
import { inCI } from '../support/services.ts';

const root = join(import.meta.dirname, '..', '..');
const catalog = await loadCatalog(root);
const notImplemented = 'src/workshop/not-implemented.ts';

// A learner's solved starter is their own file: its pristine checks are CI's job (where every
// starter is as shipped), not a reason for their `npm test` to fail. Returns why a starter is
// left out, or undefined when it is as shipped.
async function leftOut(starter: string): Promise<string | undefined> {
  const state = await starterState(root, starter);
  if (state === 'pristine') return undefined;
  const why =
    state === 'own' ? 'your own file (changed since it was shipped)' : 'not found as shipped in git history';
  if (inCI) assert.fail(`${starter} is ${why}; CI checks the starters as shipped`);
  return `${starter} is ${why}: its pristine-starter checks run in CI`;
}

for (const { exercise } of catalog) {
  test(`${exercise.id}: the starter as shipped carries a TODO(exercise) and reports "not started"`, async (t) => {
    const why = await leftOut(exercise.starter);
    if (why) return t.skip(why);
    assert.match(readFileSync(join(root, exercise.starter), 'utf8'), todoMarker);
    const report = await runChecks(
      exercise.checks,
      await import(pathToFileURL(join(root, exercise.starter)).href),
    );
    assert.equal(
      report.status,
      'not-started',
      `${exercise.starter} must throw NotImplementedError until solved`,
    );
  });
}

/** Each starter's source tree, parsed by TypeScript with the project's options. */
async function parseStarters(
  starters: readonly string[],
): Promise<{ get: (path: string) => Promise<SourceFile>; close: () => Promise<void> }> {
  const config = join(root, 'tsconfig.starters-test.json');
  const text = JSON.stringify({
    extends: './tsconfig.json',
    files: starters.map((s) => join(root, s)),
    include: [],
  });
  const api = new API({
    cwd: root,
    fs: {
      readFile: (f) => (f === config ? text : undefined),
      fileExists: (f) => (f === config ? true : undefined),
    },
  });
  const program = (await api.updateSnapshot({ openProjects: [config] })).getProject(config)!.program;
  const get = async (path: string): Promise<SourceFile> => {
    const file = await program.getSourceFile(join(root, path));
    if (!file) throw new Error(`${path} is not in the program`);
    return file;
  };
  return { get, close: () => api.close() };
}

const isTypeOnlyImport = (s: ImportDeclaration): boolean =>
  s.importClause?.phaseModifier === SyntaxKind.TypeKeyword ||
  (s.importClause?.name === undefined &&
    s.importClause?.namedBindings?.kind === SyntaxKind.NamedImports &&
    s.importClause.namedBindings.elements.every((e) => e.isTypeOnly));

// Interfaces, type aliases and type-only imports and re-exports: nothing that runs.
function declaresOnlyTypes(statement: Statement): boolean {
  switch (statement.kind) {
    case SyntaxKind.InterfaceDeclaration:
    case SyntaxKind.TypeAliasDeclaration:
      return true;
    case SyntaxKind.ImportDeclaration:
      return isTypeOnlyImport(statement as ImportDeclaration);
    case SyntaxKind.ExportDeclaration:
      return (statement as Statement & { isTypeOnly: boolean }).isTypeOnly;
    default:
      return false;
  }
}

test('a starter as shipped imports only types, from a module that holds only types, and NotImplementedError', async (t) => {
  const shipped: string[] = [];
  for (const { exercise } of catalog) {
    const why = await leftOut(exercise.starter);
    if (why) t.diagnostic(why);
    else shipped.push(exercise.starter);
  }
  if (!shipped.length) return t.skip('every starter is your own file: this check runs in CI');
  const parsed = await parseStarters(shipped);
  t.after(() => parsed.close());
  for (const starter of shipped) {
    assert.doesNotMatch(
      readFileSync(join(root, starter), 'utf8'),
      /\bimport\s*\(|\brequire\s*\(/,
      `${starter} loads a module at run time`,
    );
    for (const statement of (await parsed.get(starter)).statements) {
      if (statement.kind !== SyntaxKind.ImportDeclaration && statement.kind !== SyntaxKind.ExportDeclaration)
        continue;
      const specifier = (statement as ImportDeclaration).moduleSpecifier as unknown as
        { text?: string } | undefined;
      if (!specifier?.text || specifier.text.startsWith('node:')) continue;
      const target = relative(root, resolve(dirname(join(root, starter)), specifier.text));
      if (target === notImplemented && statement.kind === SyntaxKind.ImportDeclaration) continue;
      assert.ok(
        declaresOnlyTypes(statement),
        `${starter} imports values from ${target}: import only types (import type { … }), and NotImplementedError from ${notImplemented}`,
      );
      const runs = (await parsed.get(target)).statements
        .filter((s) => !declaresOnlyTypes(s))
        .map((s) => SyntaxKind[s.kind]);
      assert.deepEqual(
        runs,
        [],
        `${starter} imports types from ${target}, which holds more than types: import them from src/workshop/starters/types.ts`,
      );
    }
  }
});

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Exercise } from './types.ts';

/** One exercise as found on disk: its folder name (which must equal its id) and its definition. */
export interface CatalogEntry {
  readonly folder: string;
  readonly exercise: Exercise<unknown>;
}

/** The exercises folder of a repository (or of a fixture repository in tests). */
export function exercisesDir(root: string): string {
  return join(root, 'src', 'workshop', 'exercises');
}

/** Every `src/workshop/exercises/<id>/exercise.ts` under `root`, ordered by step then id. */
export async function loadCatalog(root: string): Promise<CatalogEntry[]> {
  const dir = exercisesDir(root);
  if (!existsSync(dir)) return [];
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'exercise.ts')))
    .map((entry) => entry.name);
  const entries: CatalogEntry[] = [];
  for (const folder of folders) {
    const module = (await import(pathToFileURL(join(dir, folder, 'exercise.ts')).href)) as { exercise?: Exercise<unknown> };
    if (!module.exercise) throw new Error(`src/workshop/exercises/${folder}/exercise.ts does not export \`exercise\``);
    entries.push({ folder, exercise: module.exercise });
  }
  return entries.sort((a, b) => a.exercise.step.localeCompare(b.exercise.step) || a.exercise.id.localeCompare(b.exercise.id));
}

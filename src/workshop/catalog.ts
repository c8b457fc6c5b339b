import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Exercise } from './types.ts';

/** One exercise as found on disk: its folder name (which must equal its id) and its definition. */
export interface CatalogEntry {
  readonly folder: string;
  readonly exercise: Exercise<unknown>;
}

/** The exercises folder of a repository (or of a fixture repository in tests). */
function exercisesDir(root: string): string {
  return join(root, 'src', 'workshop', 'exercises');
}

/**
 * Every `src/workshop/exercises/<id>/exercise.ts` under `root`, in the order a reader meets them:
 * by lesson, then by where the lesson first says `npm run exercise -- <id>`. Adding an exercise
 * is adding its folder; nothing here names one.
 */
export async function loadCatalog(root: string): Promise<CatalogEntry[]> {
  const dir = exercisesDir(root);
  if (!existsSync(dir)) return [];
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'exercise.ts')))
    .map((entry) => entry.name);
  const entries: CatalogEntry[] = [];
  for (const folder of folders) {
    const module = (await import(pathToFileURL(join(dir, folder, 'exercise.ts')).href)) as {
      exercise?: Exercise<unknown>;
    };
    if (!module.exercise)
      throw new Error(`src/workshop/exercises/${folder}/exercise.ts does not export \`exercise\``);
    entries.push({ folder, exercise: module.exercise });
  }
  return inLessonOrder(root, entries);
}

function inLessonOrder(root: string, entries: CatalogEntry[]): CatalogEntry[] {
  const lessons = new Map<string, string>();
  const place = ({ exercise }: CatalogEntry): number => {
    const path = join(root, exercise.lesson);
    if (!lessons.has(path)) lessons.set(path, existsSync(path) ? readFileSync(path, 'utf8') : '');
    return runCommandAt(lessons.get(path)!, exercise.id);
  };
  const keyed = entries.map((entry) => ({ entry, place: place(entry) }));
  keyed.sort(
    (a, b) =>
      a.entry.exercise.lesson.localeCompare(b.entry.exercise.lesson) ||
      Math.sign(a.place - b.place || 0) ||
      a.entry.exercise.id.localeCompare(b.entry.exercise.id),
  );
  return keyed.map((k) => k.entry);
}

/** Where `markdown` first says `npm run exercise -- <id>` (Infinity when it never does). */
function runCommandAt(markdown: string, id: string): number {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Not followed by a name character: `max-age` must not match `npm run exercise -- max-age-check`.
  const at = markdown.search(new RegExp(`npm run exercise -- ${escaped}(?![\\w-])`));
  return at < 0 ? Infinity : at;
}

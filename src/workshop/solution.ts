import { readFileSync } from 'node:fs';
import { insideRoot, readRegions } from '../tools/regions.ts';

/**
 * The text of an exercise's reference solution: `path#region` is that region of the step's code,
 * read as the lessons read it; `path#a,b` is several regions of one file, in that order, a blank
 * line between them; a bare `path` is the whole file.
 */
export function solutionText(root: string, solution: string): string {
  const [path = '', names] = solution.split('#');
  if (names === undefined) return readFileSync(insideRoot(root, path), 'utf8').trimEnd();
  const regions = readRegions(root, path);
  return names
    .split(',')
    .map((name) => {
      const found = regions.get(name);
      if (!found) throw new Error(`${path} has no region "${name}" (// #region ${name})`);
      return found.text;
    })
    .join('\n\n');
}

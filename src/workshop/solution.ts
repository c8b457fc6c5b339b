import { readFileSync } from 'node:fs';
import { insideRoot, readRegions } from '../tools/regions.ts';

/**
 * The text of an exercise's reference solution: `path#region` is that region of the step's code,
 * read as the lessons read it; a bare `path` is the whole file.
 */
export function solutionText(root: string, solution: string): string {
  const [path = '', region] = solution.split('#');
  if (region === undefined) return readFileSync(insideRoot(root, path), 'utf8').trimEnd();
  const found = readRegions(root, path).get(region);
  if (!found) throw new Error(`${path} has no region "${region}" (// #region ${region})`);
  return found.text;
}

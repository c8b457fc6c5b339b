/**
 * Compares every cited block of `lessons/*.md` and of their appendices in `lessons/notes/` with
 * the region it names, and rewrites the blocks from the code. The code is the source of truth;
 * nobody edits the blocks by hand.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fenceFor,
  type Include,
  insideRoot,
  parseIncludes,
  parseRegions,
  type Region,
  RegionError,
  sourceFiles,
} from './regions.ts';

/** What is wrong with the lessons: problems sync cannot fix, stale blocks it can, uncited regions. */
export interface LessonReport {
  /** Missing files or regions, malformed regions: the author must fix these. */
  readonly problems: string[];
  /** Blocks that differ from their region (or are missing): `npm run lessons:sync` fixes these. */
  readonly stale: Array<{ include: Include; region: Region; message: string }>;
  /** `path#region` of every region in src/ that no lesson cites. */
  readonly uncited: string[];
}

/** The lesson files and their appendices (`lessons/notes/`), repo-relative, sorted. */
function lessonFiles(root: string): string[] {
  return ['lessons', 'lessons/notes'].flatMap((folder) => {
    const dir = join(root, folder);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => `${folder}/${name}`);
  });
}

/** Checks every lesson against the code under `root` without writing anything. */
export function checkLessons(root: string): LessonReport {
  const report: LessonReport = { problems: [], stale: [], uncited: [] };
  const all = allRegions(root, report.problems);
  const cited = new Set<string>();
  for (const lesson of lessonFiles(root)) {
    for (const include of parseIncludes(lesson, readFileSync(join(root, lesson), 'utf8'))) {
      const key = `${include.path}#${include.region}`;
      cited.add(key);
      const region = findRegion(root, include, all, report.problems);
      if (region) compareBlock(include, region, report);
    }
  }
  for (const key of all.keys()) if (!cited.has(key)) report.uncited.push(key);
  return report;
}

function allRegions(root: string, problems: string[]): Map<string, Region> {
  const all = new Map<string, Region>();
  for (const path of sourceFiles(root)) {
    try {
      for (const region of parseRegions(path, readFileSync(join(root, path), 'utf8')).values())
        all.set(`${path}#${region.name}`, region);
    } catch (error) {
      if (!(error instanceof RegionError)) throw error;
      problems.push(error.message);
    }
  }
  return all;
}

function findRegion(
  root: string,
  include: Include,
  all: Map<string, Region>,
  problems: string[],
): Region | undefined {
  const where = `${include.lesson}:${include.line + 1}: include ${include.path}#${include.region}`;
  try {
    const full = insideRoot(root, include.path);
    if (!existsSync(full)) {
      problems.push(`${where}: file ${include.path} does not exist`);
      return undefined;
    }
    // Files outside src/ are not scanned up front; read them on demand.
    const region =
      all.get(`${include.path}#${include.region}`) ??
      parseRegions(include.path, readFileSync(full, 'utf8')).get(include.region);
    if (!region) problems.push(`${where}: no region "${include.region}" in ${include.path}`);
    return region;
  } catch (error) {
    if (!(error instanceof RegionError)) throw error;
    problems.push(`${where}: ${error.message}`);
    return undefined;
  }
}

function compareBlock(include: Include, region: Region, report: LessonReport): void {
  const where = `${include.lesson}:${include.line + 1}: include ${include.path}#${include.region}`;
  if (!include.block) {
    report.stale.push({
      include,
      region,
      message: `${where}: no \`\`\`ts block follows the marker; run npm run lessons:sync`,
    });
  } else if (include.block.text !== region.text) {
    report.stale.push({
      include,
      region,
      message: `${where}: the block differs from the code; run npm run lessons:sync`,
    });
  }
}

/** The lesson text with every stale block replaced by (or a missing block filled with) its region. */
export function rewriteLesson(markdown: string, stale: LessonReport['stale']): string {
  const lines = markdown.split(/\r?\n/);
  // Bottom-up, so earlier line numbers stay valid while later blocks change length.
  for (const { include, region } of [...stale].sort((a, b) => b.include.line - a.include.line)) {
    const fence = fenceFor(region.text);
    const block = [`${fence}ts`, ...region.text.split('\n'), fence];
    const replaceCount = include.block ? include.block.end - include.line : 0;
    lines.splice(include.line + 1, replaceCount, ...block);
  }
  return lines.join('\n');
}

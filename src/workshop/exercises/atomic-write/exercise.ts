import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as Reference from '../../../03-json-file/atomic-write.ts';
import { StagedFileSystem } from '../../../03-json-file/staged-fs.ts';
import type { Check, Exercise } from '../../types.ts';

/** What the learner writes: an atomic replacement of a file's content. */
export interface Impl {
  writeFileAtomic: typeof Reference.writeFileAtomic;
}

/** Runs `body` with a fresh folder holding `sessions.json` = "old text", and removes the folder afterwards. */
async function inFolder(body: (path: string, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'session-lab-exercise-'));
  try {
    await writeFile(join(dir, 'sessions.json'), 'old text');
    await body(join(dir, 'sessions.json'), dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes "new text" with a staged crash; returns the staged disk. */
async function crashedWrite(impl: Impl, path: string): Promise<StagedFileSystem> {
  const disk = new StagedFileSystem();
  disk.crashNextWrite();
  await assert.rejects(impl.writeFileAtomic(disk.fs, path, 'new text'), 'a write that crashed must reject');
  return disk;
}

const checks: Check<Impl>[] = [
  {
    name: 'the file ends up holding exactly the new text',
    run: (impl) =>
      inFolder(async (path) => {
        await impl.writeFileAtomic(new StagedFileSystem().fs, path, 'new text');
        assert.equal(
          await readFile(path, 'utf8'),
          'new text',
          'after writeFileAtomic the file must hold exactly the new text: write it to a temp file in the same folder, then fs.rename the temp file over path',
        );
      }),
  },
  {
    name: 'a crash half-way through the write leaves the old file whole',
    run: (impl) =>
      inFolder(async (path) => {
        await crashedWrite(impl, path);
        assert.equal(
          await readFile(path, 'utf8'),
          'old text',
          'the crash tore the real file: write the new text to a temp file, then rename it over',
        );
      }),
  },
  {
    name: 'a failed write leaves no temp file behind',
    run: (impl) =>
      inFolder(async (path, dir) => {
        await crashedWrite(impl, path);
        assert.deepEqual(await readdir(dir), ['sessions.json'], 'remove the temp file when the write fails');
      }),
  },
  {
    name: 'the new text is flushed to disk before the rename',
    run: (impl) =>
      inFolder(async (path) => {
        const disk = new StagedFileSystem();
        await impl.writeFileAtomic(disk.fs, path, 'new text');
        const rename = disk.calls.findIndex(
          (call) => call.startsWith('rename ') && call.endsWith(` ${path}`),
        );
        assert.ok(rename >= 0, 'rename a temp file over the target');
        const temp = disk.calls[rename]!.split(' ')[1]!;
        const flushed = disk.calls
          .slice(0, rename)
          .some((call) => call === `writeFile ${temp} flush` || call === `sync ${temp}`);
        assert.ok(
          flushed,
          'fsync the temp file before the rename (writeFile with { flush: true }), or a power cut can leave an empty file',
        );
      }),
  },
  {
    name: 'the folder is synced after the rename',
    run: (impl) =>
      inFolder(async (path, dir) => {
        const disk = new StagedFileSystem();
        await impl.writeFileAtomic(disk.fs, path, 'new text');
        const rename = disk.calls.findIndex((call) => call.startsWith('rename '));
        assert.ok(
          disk.calls.slice(rename).includes(`sync ${dir}`),
          'open the folder and sync() it after the rename, so the rename itself is on disk',
        );
      }),
  },
];

export const exercise: Exercise<Impl> = {
  id: 'atomic-write',
  step: '03-json-file',
  title: 'Make the session file write atomic',
  lesson: 'lessons/03-json-file.md',
  starter: 'src/workshop/starters/atomic-write.ts',
  solution: 'src/03-json-file/atomic-write.ts#atomic-write',
  hint: 'Write to a temp file in the same folder with fs.writeFile(temp, text, { flush: true }), then fs.rename(temp, path). If anything fails, fs.rm(temp, { force: true }) and rethrow. Last, fs.open(folder, "r"), sync() it and close it.',
  reference: async () => import('../../../03-json-file/atomic-write.ts'),
  checks,
};

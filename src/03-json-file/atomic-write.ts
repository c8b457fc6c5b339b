import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import type { SessionFileSystem } from './file-system.ts';

// #region atomic-write
/**
 * Replaces `path` with `text` so that a reader, or the next start after a crash, sees the old
 * file or the new one, never half of one: write a temp file beside it, fsync it, rename it over.
 */
export async function writeFileAtomic(fs: SessionFileSystem, path: string, text: string): Promise<void> {
  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  // Beside the target: rename(2) is atomic only within one file system.
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(temp, text, { encoding: 'utf8', mode: 0o600, flush: true });
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(fs, dirname(path));
}
// #endregion atomic-write

/** fsync(2) on the folder, so the rename itself survives a power cut. */
async function syncDirectory(fs: SessionFileSystem, directory: string): Promise<void> {
  if (process.platform === 'win32') return; // Windows cannot open a folder for fsync.
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

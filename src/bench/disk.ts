import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Where the file-backed stores of a run live: the folder, its file system and device, and for
 * ext4 whether it keeps a journal. Without one, ext4 will not reuse an inode freed in the last
 * minute and reads past each of them to find a free one, which makes creating a file cost more
 * in a folder that keeps replacing its files (lessons/notes/06-targets-and-the-machine.md).
 */
export function describeDisk(path: string): string {
  const found = spawnSync('findmnt', ['--noheadings', '--output', 'SOURCE,FSTYPE', '--target', path], {
    encoding: 'utf8',
  });
  const [source, fsType] = found.status === 0 ? found.stdout.trim().split(/\s+/) : [];
  if (!source || !fsType) return path;
  const journal =
    fsType === 'ext4' ? (ext4HasJournal(source) ? ', with a journal' : ', without a journal') : '';
  return `${path}: ${fsType} on ${source}${journal}`;
}

/** True when jbd2 runs a journal for the device: it lists one folder per journal, `vda-8` for /dev/vda. */
export function ext4HasJournal(source: string, journals: readonly string[] = listJournals()): boolean {
  return journals.some((name) => name.startsWith(`${basename(source)}-`));
}

function listJournals(): string[] {
  return existsSync('/proc/fs/jbd2') ? readdirSync('/proc/fs/jbd2') : [];
}

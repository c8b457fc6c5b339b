// Exercise atomic-write (lessons/03-json-file.md): run `npm run exercise -- atomic-write`.
import type { writeFileAtomic as Reference } from '../../03-json-file/atomic-write.ts';
import type { SessionFileSystem } from '../../03-json-file/file-system.ts';
import { NotImplementedError } from '../types.ts';

/**
 * Replace the content of `path` with `text`, so that a crash at any moment leaves the old file or
 * the new one, never half of one. Use only `fs` (the checks pass one that can stage a crash).
 */
export const writeFileAtomic: typeof Reference = async (fs: SessionFileSystem, path: string, text: string) => {
  // TODO(exercise)
  throw new NotImplementedError('writeFileAtomic');
};

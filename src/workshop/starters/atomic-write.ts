// Exercise atomic-write (lessons/03-json-file.md): run `npm run exercise -- atomic-write`.
import { NotImplementedError } from '../not-implemented.ts';
import type { SessionFileSystem, WriteFileAtomic } from './types.ts';

/**
 * Replace the content of `path` with `text`, so that a crash at any moment leaves the old file or
 * the new one, never half of one. Use only `fs` (the checks pass one that can stage a crash).
 */
export const writeFileAtomic: WriteFileAtomic = async (fs: SessionFileSystem, path: string, text: string) => {
  // TODO(exercise)
  throw new NotImplementedError('writeFileAtomic');
};

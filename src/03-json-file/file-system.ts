import type * as fsp from 'node:fs/promises';

/** The file operations the session stores use; tests pass a wrapper to stage a crash or a slow disk. */
export type SessionFileSystem = Pick<
  typeof fsp,
  'readFile' | 'writeFile' | 'rename' | 'mkdir' | 'open' | 'rm'
>;

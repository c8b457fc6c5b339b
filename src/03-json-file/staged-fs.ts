import * as fsp from 'node:fs/promises';
import type { SessionFileSystem } from './file-system.ts';

type WriteFile = typeof fsp.writeFile;
type Data = Parameters<WriteFile>[1];

/**
 * The real file system, plus two events a test or an exercise can stage without sleeping:
 * a crash half-way through the next write, and a write held until another read has finished
 * (two requests interleaved the unlucky way). It also records the calls, in order.
 */
export class StagedFileSystem {
  /** Each call as `op path` (`writeFile path flush`, `sync path` for a FileHandle fsync), in order. */
  readonly calls: string[] = [];
  #crashNext = false;
  #holdNext: { reached: () => void } | null = null;
  #releaseOnRead: (() => void) | null = null;

  readonly fs: SessionFileSystem = {
    readFile: (async (...args: Parameters<typeof fsp.readFile>) => {
      const release = this.#releaseOnRead; // only reads that start after the write was held
      this.calls.push(`readFile ${String(args[0])}`);
      try {
        return await fsp.readFile(...args);
      } finally {
        if (release && this.#releaseOnRead === release) {
          this.#releaseOnRead = null;
          release();
        }
      }
    }) as typeof fsp.readFile,
    writeFile: ((file, data, options) =>
      this.#write(String(file), data, (d) => fsp.writeFile(file, d, options), options)) as WriteFile,
    rename: async (from, to) => {
      this.calls.push(`rename ${String(from)} ${String(to)}`);
      return fsp.rename(from, to);
    },
    mkdir: fsp.mkdir,
    rm: fsp.rm,
    open: (async (...args: Parameters<typeof fsp.open>) =>
      this.#instrument(String(args[0]), await fsp.open(...args))) as typeof fsp.open,
  };

  /** The next write puts half of its bytes where it was going, then fails as if the process died. */
  crashNextWrite(): void {
    this.#crashNext = true;
  }

  /** The next write waits until a read that starts after it has finished; resolves once the write is waiting. */
  holdNextWrite(): Promise<void> {
    return new Promise((reached) => {
      this.#holdNext = { reached };
    });
  }

  async #write(
    path: string,
    data: Data,
    write: (data: Data) => Promise<void>,
    options?: unknown,
  ): Promise<void> {
    const flush =
      typeof options === 'object' && options !== null && (options as { flush?: boolean }).flush === true;
    this.calls.push(`writeFile ${path}${flush ? ' flush' : ''}`);
    if (this.#crashNext) {
      this.#crashNext = false;
      const text = String(data);
      await write(text.slice(0, Math.floor(text.length / 2)));
      throw new Error('staged crash: the process died half-way through this write');
    }
    const hold = this.#holdNext;
    if (hold) {
      this.#holdNext = null;
      await new Promise<void>((release) => {
        this.#releaseOnRead = release;
        hold.reached();
      });
    }
    await write(data);
  }

  #instrument(path: string, handle: fsp.FileHandle): fsp.FileHandle {
    const { sync, datasync, writeFile } = handle;
    handle.sync = () => (this.calls.push(`sync ${path}`), sync.call(handle));
    handle.datasync = () => (this.calls.push(`sync ${path}`), datasync.call(handle));
    handle.writeFile = ((data: Data, options?: unknown) =>
      this.#write(
        path,
        data,
        (d) => writeFile.call(handle, d as string, options as undefined),
        options,
      )) as typeof handle.writeFile;
    return handle;
  }
}

import { readFile } from 'node:fs/promises';
import { extname, join, posix, resolve } from 'node:path';
import { Flask } from '../01-raw-http/app.ts';
import type { FlaskConfig } from '../01-raw-http/config.ts';
import { NotFound } from '../01-raw-http/http-errors.ts';
import { Response } from '../01-raw-http/response.ts';

/** A Flask app with Flask's folders: `root_path`, `static_folder` (served at `/static/`) and `instance_path`. */
export class FlaskWithFolders<C extends FlaskConfig = FlaskConfig> extends Flask<C> {
  readonly rootPath: string;
  readonly staticFolder: string;
  /** Flask's instance folder: per-deployment files that are never served. Default `<root>/instance`. */
  readonly instancePath: string;
  /** Files inside the static folder that are never served, whether or not they exist. */
  readonly unservedFiles = new Set<string>();

  constructor(
    rootPath: string,
    config: Partial<C> & Omit<C, keyof FlaskConfig> = {} as C,
    instancePath = join(rootPath, 'instance'),
  ) {
    super(config);
    this.rootPath = rootPath;
    this.staticFolder = join(rootPath, 'static');
    this.instancePath = instancePath;
    this.get('/static/<path:filename>', ({ filename = '' }) =>
      sendFromDirectory(this.staticFolder, filename, this.unservedFiles),
    );
  }
}

/**
 * Werkzeug's `safe_join`: `directory/pathname`, or null when the path would leave the directory
 * (`..`, an absolute path). The request path is already percent-decoded, so `%2e%2e` is `..` here.
 */
export function safeJoin(directory: string, pathname: string): string | null {
  // A NUL byte is rejected by the OS; a backslash is a separator on Windows. Neither names a static file.
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const normalized = posix.normalize(pathname);
  if (posix.isAbsolute(normalized) || normalized === '..' || normalized.startsWith('../')) return null;
  return join(directory, normalized);
}

const mimetypes: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

/** Flask's `send_from_directory`: the file's bytes, or 404 for a missing file, an unsafe path or an `unserved` one. */
async function sendFromDirectory(
  directory: string,
  filename: string,
  unserved: ReadonlySet<string> = new Set(),
): Promise<Response> {
  const path = safeJoin(directory, filename);
  // Compared without case: on a case-insensitive disk /static/SESSION.json opens session.json.
  if (!path || [...unserved].some((hidden) => resolve(hidden).toLowerCase() === resolve(path).toLowerCase()))
    throw new NotFound();
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (error) {
    if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? ''))
      throw new NotFound();
    throw error;
  }
  return new Response(body, {
    mimetype: mimetypes[extname(path).toLowerCase()] ?? 'application/octet-stream',
  });
}

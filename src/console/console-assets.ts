import { createHash } from 'node:crypto';
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.js';

/** One file of the console's bundle, held in memory. */
export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  etag: string;
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/**
 * The web console's built files (`npm start` bundles console/ into console/dist). They are read once,
 * on the first request, into memory: only regular files whose real path lies inside the directory's
 * real path and whose type is listed above, so a link or a stray file in the folder is never served.
 */
export class ConsoleAssets {
  private loaded?: Promise<Map<string, ConsoleAsset>>;

  constructor(private readonly dir: string) {}

  /** The asset at `name` (a path below /console/, '' for the page), or undefined. */
  async get(name: string): Promise<ConsoleAsset | undefined> {
    this.loaded ??= this.load().catch((err: unknown) => {
      this.loaded = undefined;
      throw err;
    });
    const files = await this.loaded;
    return files.get(name === '' ? 'index.html' : name);
  }

  private async load(): Promise<Map<string, ConsoleAsset>> {
    let root: string;
    try {
      root = await realpath(this.dir);
      await readFile(path.join(root, 'index.html'));
    } catch (err) {
      throw new AppError('CONSOLE_NOT_BUILT', 'the console is not built: run `npm run build:console` (`npm start` builds it)', { cause: err });
    }
    const files = new Map<string, ConsoleAsset>();
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      const type = TYPES[path.extname(entry.name)];
      if (!entry.isFile() || type === undefined) continue;
      const full = path.join(entry.parentPath, entry.name);
      if (!(await realpath(full)).startsWith(root + path.sep)) continue;
      const body = await readFile(full);
      const name = path.relative(root, full).split(path.sep).join('/');
      files.set(name, { body, contentType: type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
    return files;
  }
}

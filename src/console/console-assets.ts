import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
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
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

interface Loaded {
  /** The bundle's identity: the real path of the folder and its page's modification time. */
  version: string;
  files: Map<string, ConsoleAsset>;
}

/**
 * The web console's built files (`npm start` bundles console/ into console/dist, one flat folder).
 * They are read into memory on the first request and again when the bundle is rebuilt (the build
 * swaps the folder in whole). Only regular files of the types above are served: not a link (a
 * directory entry that is a link is not a file), not a subfolder, not a stray file of another type.
 */
export class ConsoleAssets {
  private loaded?: Promise<Loaded>;

  constructor(private readonly dir: string) {}

  /** The asset at `name` (the path below /console/, '' for the page), or undefined. */
  async get(name: string): Promise<ConsoleAsset | undefined> {
    const version = await this.version();
    let loaded = this.loaded ? await this.loaded.catch(() => undefined) : undefined;
    if (loaded?.version !== version) {
      this.loaded = this.load(version);
      loaded = await this.loaded;
    }
    return loaded.files.get(name === '' ? 'index.html' : name);
  }

  private async version(): Promise<string> {
    try {
      const root = await realpath(this.dir);
      return `${root}:${(await stat(path.join(root, 'index.html'))).mtimeMs}`;
    } catch (err) {
      throw new AppError('CONSOLE_NOT_BUILT', 'the console is not built: run `npm run build:console` (`npm start` builds it)', { cause: err });
    }
  }

  private async load(version: string): Promise<Loaded> {
    const root = version.slice(0, version.lastIndexOf(':'));
    const files = new Map<string, ConsoleAsset>();
    for (const entry of await readdir(root, { withFileTypes: true })) {
      const type = TYPES[path.extname(entry.name)];
      if (!entry.isFile() || type === undefined) continue;
      const body = await readFile(path.join(root, entry.name));
      files.set(entry.name, { body, contentType: type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
    return { version, files };
  }
}

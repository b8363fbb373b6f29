import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { AppError } from '../errors.js';

/** One file of the console's bundle, held in memory. */
export interface ConsoleAsset {
  body: Buffer;
  etag: string;
  /** The body gzip-compressed, with its own ETag, for clients that accept it (text files of 1 KB or more). */
  gzipped?: { body: Buffer; etag: string };
  contentType: string;
  /** Named by its content (a chunk): it never changes, so browsers may keep it. */
  immutable: boolean;
}

const gzipAsync = promisify(gzip);

/** How the build names a chunk (esbuild's content hash): scripts/build-console.ts and the cache rule read it here. */
const CHUNK = /chunk-[A-Za-z0-9]+\.js/g;

/** The chunks a script or chunk imports, by file name. */
export function chunksImportedBy(text: string): string[] {
  return [...text.matchAll(CHUNK)].map((m) => m[0]);
}

const isChunk = (name: string): boolean => chunksImportedBy(name)[0] === name;

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The web console's built files: console/dist, a link to the newest bundle (one flat folder; see
 * scripts/build-console.ts). They are read into memory on the first request and again when the link
 * points elsewhere or the page changes, once for all the requests that notice it. Only regular files
 * of the types above are served: not a link (a directory entry that is a link is not a file), not a
 * subfolder, not a stray file of another type.
 */
export class ConsoleAssets {
  private loaded?: { version: string; files: Promise<Map<string, ConsoleAsset>> };

  constructor(private readonly dir: string) {}

  /** The asset at `name` (the path below /console/, '' for the page), or undefined. */
  async get(name: string): Promise<ConsoleAsset | undefined> {
    let files: Map<string, ConsoleAsset>;
    try {
      files = await this.current();
    } catch (err) {
      // The bundle being read was replaced and removed meanwhile: read the one that replaced it.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      files = await this.current();
    }
    return files.get(name === '' ? 'index.html' : name);
  }

  private async current(): Promise<Map<string, ConsoleAsset>> {
    const { root, version } = await this.version();
    if (this.loaded?.version !== version) {
      const files = load(root);
      this.loaded = { version, files };
      // A failed read is not kept: the next request reads again.
      files.catch(() => {
        if (this.loaded?.files === files) this.loaded = undefined;
      });
    }
    return this.loaded.files;
  }

  private async version(): Promise<{ root: string; version: string }> {
    try {
      const root = await realpath(this.dir);
      return { root, version: `${root}:${(await stat(path.join(root, 'index.html'))).mtimeMs}` };
    } catch (err) {
      throw new AppError('CONSOLE_NOT_BUILT', 'the console is not built: run `npm run build:console` (`npm start` builds it)', { cause: err });
    }
  }
}

async function load(root: string): Promise<Map<string, ConsoleAsset>> {
  const files = new Map<string, ConsoleAsset>();
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const type = TYPES[path.extname(entry.name)];
    if (!entry.isFile() || type === undefined) continue;
    const body = await readFile(path.join(root, entry.name));
    // Compressed once per bundle: the scripts shrink to about a third.
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
    const gzipped = !type.startsWith('image/') && body.length >= 1024 ? { body: await gzipAsync(body), etag: `"${hash}-gz"` } : undefined;
    files.set(entry.name, { body, etag: `"${hash}"`, ...(gzipped ? { gzipped } : {}), contentType: type, immutable: isChunk(entry.name) });
  }
  return files;
}

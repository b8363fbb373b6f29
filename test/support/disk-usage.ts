import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/** Bytes of the files under the folders now (a missing folder holds none; files may come and go meanwhile). */
export async function bytesUnder(...dirs: string[]): Promise<number> {
  let total = 0;
  for (const dir of dirs) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isFile()) total += (await stat(path.join(e.parentPath, e.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** Samples the bytes under `dirs` every `everyMs` until `stop()`, which answers the most seen. */
export function watchPeakBytes(dirs: string[], everyMs: number): { stop: () => Promise<number> } {
  let peak = 0;
  let watching = true;
  const loop = (async () => {
    while (watching) {
      peak = Math.max(peak, await bytesUnder(...dirs));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      watching = false;
      await loop;
      return peak;
    },
  };
}

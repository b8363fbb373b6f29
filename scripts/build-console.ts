/**
 * Bundles the web console (console/src, TypeScript) with esbuild into console/dist, which the gateway
 * serves at /console/. `npm start` runs it first (prestart); the test setup runs it too. About a second.
 */
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds console/ into `outdir` (default console/dist), replacing what was there. */
export async function buildConsole(outdir = path.join(root, 'console', 'dist')): Promise<void> {
  const staging = `${outdir}.tmp-${process.pid}`;
  const old = `${outdir}.old-${process.pid}`;
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    await build({
      entryPoints: [path.join(root, 'console/src/main.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      outfile: path.join(staging, 'app.js'),
      logLevel: 'warning',
      legalComments: 'none',
    });
    await copyFile(path.join(root, 'console/index.html'), path.join(staging, 'index.html'));
    await copyFile(path.join(root, 'console/style.css'), path.join(staging, 'style.css'));
    // The finished bundle takes the old one's place by rename: a gateway reading it sees one or the other.
    await rename(outdir, old).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(staging, outdir);
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildConsole();
  console.log(`console built into console/dist in ${Date.now() - started} ms`);
}

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
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'console/src/main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    outfile: path.join(staging, 'app.js'),
    logLevel: 'warning',
    legalComments: 'linked',
  });
  await copyFile(path.join(root, 'console/index.html'), path.join(staging, 'index.html'));
  await copyFile(path.join(root, 'console/style.css'), path.join(staging, 'style.css'));
  // Swapped in whole, so a gateway reading it never sees half a bundle.
  await rm(outdir, { recursive: true, force: true });
  await mkdir(path.dirname(outdir), { recursive: true });
  await rename(staging, outdir);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildConsole();
  console.log(`console built into console/dist in ${Date.now() - started} ms`);
}

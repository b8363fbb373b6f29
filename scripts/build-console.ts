/**
 * Bundles the web console (console/src, TypeScript) with esbuild, which the gateway serves at /console/.
 * `npm start` runs it first (prestart); the test setup runs it too. About half a second.
 *
 * Each build goes into its own folder console/dist-<stamp>, and console/dist is a link to the newest,
 * replaced by a rename: a gateway reading the bundle while it is rebuilt sees the old one or the new
 * one, never a missing or half-written one, and two builds at once (npm test beside npm start) do not
 * collide. Bundles older than a minute other than the newest are removed (a gateway that was reading
 * one reads the newest instead).
 */
import { access, copyFile, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chunksImportedBy } from '../src/console/console-assets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const KEEP_OLD_MS = 60_000;

/** Builds console/ and points `link` (default console/dist) at the new bundle. */
export async function buildConsole(link = path.join(root, 'console', 'dist')): Promise<void> {
  const dir = path.dirname(link);
  const stamp = `${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const bundle = path.join(dir, `${path.basename(link)}-${stamp}`);
  const nextLink = path.join(dir, `.${path.basename(link)}-link-${stamp}`);
  try {
    await mkdir(bundle, { recursive: true });
    await build({
      entryPoints: [path.join(root, 'console/src/main.ts')],
      bundle: true,
      format: 'esm',
      target: 'es2022',
      minify: true,
      // The charts (Vega, 0.8 MB) are a chunk of their own, loaded by the Analytics page only.
      splitting: true,
      outdir: bundle,
      entryNames: 'app',
      chunkNames: 'chunk-[hash]', // the shape chunksImportedBy knows
      logLevel: 'warning',
      legalComments: 'none',
    });
    await copyFile(path.join(root, 'console/index.html'), path.join(bundle, 'index.html'));
    await copyFile(path.join(root, 'console/style.css'), path.join(bundle, 'style.css'));
    await carryChunks(link, bundle);
    // A folder left at `link` by an older build (before links) is replaced once.
    if ((await lstat(link).catch(() => undefined))?.isDirectory()) await rm(link, { recursive: true, force: true });
    await symlink(path.basename(bundle), nextLink);
    await rename(nextLink, link);
  } catch (err) {
    await rm(bundle, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(nextLink, { force: true });
  }
  await removeOldBundles(link);
}

/**
 * The chunks the previous bundle's script loads go into the new bundle too: a page opened before the
 * rebuild imports them by name later (the charts, on the first Analytics run). Chunk names are content
 * hashes, so a carried one never clashes with a new one; only the previous bundle's own are carried,
 * so they do not pile up.
 */
async function carryChunks(link: string, bundle: string): Promise<void> {
  const previous = await readlink(link).then((t) => path.resolve(path.dirname(link), t), () => undefined);
  if (!previous) return;
  const script = await readFile(path.join(previous, 'app.js'), 'utf8').catch(() => '');
  const own = new Set<string>();
  const pending = chunksImportedBy(script);
  while (pending.length) {
    const name = pending.pop()!;
    if (own.has(name)) continue;
    own.add(name);
    const text = await readFile(path.join(previous, name), 'utf8').catch(() => '');
    pending.push(...chunksImportedBy(text));
  }
  for (const name of own) {
    if (await access(path.join(bundle, name)).then(() => true, () => false)) continue;
    await copyFile(path.join(previous, name), path.join(bundle, name)).catch(() => undefined);
  }
}

async function removeOldBundles(link: string): Promise<void> {
  const dir = path.dirname(link);
  const current = await readlink(link).catch(() => undefined);
  const prefix = `${path.basename(link)}-`;
  for (const name of await readdir(dir)) {
    if (!name.startsWith(prefix) || name === current) continue;
    const replaced = await stat(path.join(dir, name)).then((s) => s.mtimeMs, () => 0);
    if (Date.now() - replaced > KEEP_OLD_MS) await rm(path.join(dir, name), { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildConsole();
  console.log(`console built into console/dist in ${Date.now() - started} ms`);
}

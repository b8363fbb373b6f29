import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalTablePublisher } from '../../src/pipeline/publication/local-table-publisher.js';

let out: string;
let pub: LocalTablePublisher;
beforeEach(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'lakegate-publish-'));
  pub = new LocalTablePublisher(out);
});
afterEach(async () => rm(out, { recursive: true, force: true }));

async function write(version: string, content: string): Promise<void> {
  const dir = await pub.prepare('t', version); // the writer creates the directory
  await mkdir(dir);
  await writeFile(path.join(dir, 'part-0.parquet'), content);
}
const versions = async (): Promise<string[]> => (await readdir(path.join(out, '.versions', 't'))).sort();
const live = async (): Promise<string> => readFile(path.join(out, 't', 'part-0.parquet'), 'utf8');

describe('LocalTablePublisher', () => {
  it('swaps the link and keeps exactly the live version and the one it replaced', async () => {
    for (const v of ['r1-a1', 'r2-a1', 'r3-a1']) {
      await write(v, v);
      await pub.publish('t', v);
      expect(await live()).toBe(v);
    }
    expect(await readlink(path.join(out, 't'))).toBe(path.join('.versions', 't', 'r3-a1'));
    expect(await versions()).toEqual(['r2-a1', 'r3-a1']);
  });

  it('keeps the replaced version, not the leftovers of a failed attempt written after it', async () => {
    await write('r1-a1', 'r1');
    await pub.publish('t', 'r1-a1');
    // A retried stage: attempt 1 wrote and failed (newer than r1 on disk), attempt 2 publishes.
    await write('r2-a1', 'junk');
    await new Promise((r) => setTimeout(r, 20));
    await write('r2-a2', 'r2');
    await pub.publish('t', 'r2-a2');
    expect(await live()).toBe('r2');
    expect(await versions()).toEqual(['r1-a1', 'r2-a2']);
  });

  it('discards an unpublished attempt and never the live version', async () => {
    await write('r1-a1', 'r1');
    await pub.publish('t', 'r1-a1');
    await write('r2-a1', 'junk');
    await pub.discard('t', 'r2-a1');
    await pub.discard('t', 'r1-a1');
    expect(await versions()).toEqual(['r1-a1']);
    expect(await live()).toBe('r1');
  });
});

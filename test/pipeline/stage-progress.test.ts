import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/pipeline/pipeline-types.js';
import { etaSeconds, StageProgressTracker, WeightedSteps } from '../../src/pipeline/stage-progress.js';

describe('WeightedSteps combines statements into one fraction of the stage', () => {
  it('weighs each step by its share', () => {
    // weights 6, 3, 1 (sum 10): step 1 covers 0..0.6, step 2 0.6..0.9, step 3 0.9..1
    const s = new WeightedSteps([6, 3, 1]);
    expect(s.at(0.5)).toBe(0); // nothing begun yet
    expect(s.next()).toBe(0);
    expect(s.at(0.5)).toBeCloseTo(0.3, 10);
    expect(s.at(1)).toBeCloseTo(0.6, 10);
    expect(s.next()).toBeCloseTo(0.6, 10);
    expect(s.at(0.5)).toBeCloseTo(0.75, 10);
    expect(s.next()).toBeCloseTo(0.9, 10);
    expect(s.at(1)).toBeCloseTo(1, 10);
    expect(s.started).toBe(3);
  });

  it('clamps a step outside 0..1 and gives steps beyond the plan no weight', () => {
    const s = new WeightedSteps([1, 1]);
    s.next();
    expect(s.at(-3)).toBe(0);
    expect(s.at(7)).toBeCloseTo(0.5, 10);
    expect(s.at(Number.NaN)).toBe(0);
    s.next();
    s.next(); // a third statement where two were planned
    expect(s.at(0.2)).toBe(1);
    expect(s.started).toBe(3);
  });

  it('spreads an expanded step over its statements, and passes over a step expanded to none', () => {
    // weights 2, 4, 4 (sum 10): step 2 runs as 4 statements of 0.1 each; step 3 is expanded to one
    const s = new WeightedSteps([2, 4, 4]);
    s.next();
    s.expand(4);
    expect(s.next()).toBeCloseTo(0.2, 10);
    expect(s.at(0.5)).toBeCloseTo(0.25, 10);
    expect(s.next()).toBeCloseTo(0.3, 10);
    s.next();
    expect(s.next()).toBeCloseTo(0.5, 10);
    expect(s.at(1)).toBeCloseTo(0.6, 10);
    expect(s.started).toBe(2);
    s.expand(0);
    expect(s.next()).toBeCloseTo(0.6, 10);
    expect(s.at(1)).toBeCloseTo(1, 10);
    expect(s.started).toBe(3);
  });
});

describe('StageProgressTracker', () => {
  const stage = (): Stage => ({ name: 'etl', status: 'running', attempts: 1 });
  const clock = (): { now: () => number; t: number } => {
    const c = { t: 1_000, now: () => c.t };
    return c;
  };

  it('starts at 0, reports percent and counts, and an ETA from the rate so far', () => {
    const s = stage();
    const c = clock();
    const p = new StageProgressTracker(s, { intervalMs: 500, now: c.now });
    expect(s.progress).toMatchObject({ percent: 0 });
    expect(s.progress?.etaSeconds).toBeUndefined();
    c.t += 2_000; // 25% after 2 s: 6 s left at that rate
    p.report({ fraction: 0.25, done: 300, total: 1_200, unit: 'rows' });
    expect(s.progress).toMatchObject({ percent: 25, rowsRead: 300, total: 1_200, etaSeconds: 6 });
  });

  it('never goes back, when the engine restarts its count for the next statement', () => {
    const s = stage();
    const c = clock();
    const p = new StageProgressTracker(s, { intervalMs: 0, now: c.now });
    const seen: number[] = [];
    for (const f of [0.1, 0.4, 0.2, 0.5, 0.45]) {
      c.t += 100;
      p.report({ fraction: f });
      seen.push(s.progress!.percent);
    }
    expect(seen).toEqual([10, 40, 40, 50, 50]);
  });

  it('stays at most 99 while running and is 100 only when the stage succeeded', () => {
    const s = stage();
    const p = new StageProgressTracker(s, { intervalMs: 0 });
    p.report({ fraction: 1 });
    expect(s.progress?.percent).toBe(99);
    p.succeed();
    expect(s.progress?.percent).toBe(100);
    expect(s.progress?.etaSeconds).toBeUndefined();
    p.report({ fraction: 0.1 });
    expect(s.progress?.percent).toBe(100);
  });

  it('updates at most once per interval, the next update showing what came in between', () => {
    const s = stage();
    const c = clock();
    const p = new StageProgressTracker(s, { intervalMs: 500, now: c.now });
    c.t += 100;
    p.report({ fraction: 0.1 });
    expect(s.progress?.percent).toBe(10);
    c.t += 200;
    p.report({ fraction: 0.2 });
    expect(s.progress?.percent).toBe(10); // 200 ms after the last update
    c.t += 300;
    p.report({ fraction: 0.15 }); // the engine's figure went back; the kept maximum is 20
    expect(s.progress?.percent).toBe(20);
  });

  it('derives the fraction from done/total when none is given, and never shows more done than the total', () => {
    const s = stage();
    const p = new StageProgressTracker(s, { intervalMs: 0 });
    p.report({ done: 512, total: 2_048, unit: 'bytes' });
    expect(s.progress).toMatchObject({ percent: 25, bytesRead: 512, total: 2_048 });
    p.report({ done: 3_000, total: 2_048, unit: 'bytes' });
    expect(s.progress).toMatchObject({ percent: 99, bytesRead: 2_048, total: 2_048 });
  });

  it('keeps the last figure without an ETA when the attempt ends without success', () => {
    const s = stage();
    const c = clock();
    const p = new StageProgressTracker(s, { intervalMs: 0, now: c.now });
    c.t += 1_000;
    p.report({ fraction: 0.3 });
    expect(s.progress?.etaSeconds).toBeCloseTo(2.3, 10); // 1 s for 30%: 70% takes 2.33 s
    p.end();
    expect(s.progress?.percent).toBe(30);
    expect(s.progress?.etaSeconds).toBeUndefined();
  });
});

describe('etaSeconds', () => {
  it('is the time left at the rate so far, absent before progress and at 100', () => {
    expect(etaSeconds(40, 8_000)).toBe(12);
    expect(etaSeconds(0, 8_000)).toBeUndefined();
    expect(etaSeconds(100, 8_000)).toBeUndefined();
  });
});

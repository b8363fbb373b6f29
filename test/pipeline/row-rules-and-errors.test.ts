import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { firstLine } from '../../src/errors.js';
import { DEFAULT_RULES, isTransient } from '../../src/pipeline/pipeline-runner.js';
import { rowCountChecks, withRowCountChecks } from '../../src/pipeline/quality-rules.js';

const rules = (over: Partial<typeof DEFAULT_RULES> = {}) => ({ rules: { ...DEFAULT_RULES, ...over } });

describe('row-count checks', () => {
  it.each([
    [0, {}, 'FAIL', 1],
    [0, { allowEmpty: true }, 'WARN', 1],
    [5, { minRows: 10 }, 'FAIL', 5],
    [5, { minRows: 10, allowEmpty: true }, 'FAIL', 5],
    [10, { minRows: 10 }, 'PASS', 0],
  ] as const)('%i rows with %o: row_count %s (%i short)', (total, over, status, issueCount) => {
    expect(rowCountChecks(total, rules(over))[0]).toMatchObject({ name: 'row_count', status, issueCount });
  });

  it('compares with the previous rows only when maxRowDropPct is set', () => {
    expect(rowCountChecks(50, { ...rules(), previousRows: 100 })).toHaveLength(1);
    expect(rowCountChecks(50, { ...rules({ maxRowDropPct: 50 }), previousRows: 100 })[1]).toMatchObject({ name: 'row_drop', status: 'PASS' });
    expect(rowCountChecks(49, { ...rules({ maxRowDropPct: 50 }), previousRows: 100 })[1]).toMatchObject({ name: 'row_drop', status: 'FAIL', issueCount: 51 });
    expect(rowCountChecks(49, { ...rules({ maxRowDropPct: 50, onRowDrop: 'WARN' }), previousRows: 100 })[1]).toMatchObject({ status: 'WARN' });
    expect(rowCountChecks(150, { ...rules({ maxRowDropPct: 0 }), previousRows: 100 })[1]).toMatchObject({ status: 'PASS', issueCount: 0 });
  });

  it('adds the checks once and recomputes the overall status', () => {
    const report = { overall: 'PASS' as const, checks: [{ name: 'zero_amount', status: 'WARN' as const, issueCount: 1, detail: '' }] };
    const once = withRowCountChecks(report, 0, rules());
    expect(once.overall).toBe('FAIL');
    expect(withRowCountChecks(once, 0, rules()).checks).toHaveLength(2);
  });
});

describe('stage error classification', () => {
  it.each([
    [new AppError('INPUT_INVALID', 'bad'), false],
    [new AppError('UPSTREAM_FAILED', 'later', { retryable: true }), true],
    [new Error('IO Error: No files found that match the pattern "/x/**/*.parquet"'), false],
    [new Error('Invalid Input Error: CSV Error on Line: 3'), false],
    [new Error('Binder Error: Referenced column "x" not found'), false],
    [Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }), false],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), true],
    [new Error('disk hiccup'), true],
  ])('%s is transient: %s', (err, transient) => {
    expect(isTransient(err)).toBe(transient);
  });

  it('keeps the first line of an engine message, never the rows quoted after it', () => {
    const msg = 'Invalid Input Error: CSV Error on Line: 3\nOriginal Line: 9999,SECRET,4111\nCandidate bindings: "SECRET_COLUMN"';
    expect(firstLine(new Error(msg))).toBe('Invalid Input Error: CSV Error on Line: 3');
    expect(firstLine('x'.repeat(600))).toHaveLength(500);
  });
});

import { describeError, getJson, getText, isTransient, qs, randomToken, serverNow } from '../api.js';
import { dataGrid } from '../components/data-grid.js';
import { badge, checkbox, field, formatDuration, h, replace, select } from '../dom.js';
import { patiently, pause, type PageContext } from '../page.js';
import { PIPELINE_ENGINES, STAGES, type Run, type RunAccepted, type RunList, type Stage } from '../types.js';

const ACTIVE = new Set(['queued', 'running']);
const POLL_MS = 1000;

/** #/runs and #/runs/:id: start a run, the list, and one run's timeline, quality checks and logs. */
export async function runsPage(root: HTMLElement, ctx: PageContext, [runId]: string[]): Promise<void> {
  if (runId) return runDetail(root, ctx, runId);
  const list = h('div', { class: 'run-list' });
  const note = h('p', { class: 'muted', role: 'status' });
  replace(root, h('h1', null, 'Runs'), startForm(ctx), h('h2', null, 'Recent runs'), note, list);
  let drawn = '';
  for (;;) {
    const page = await patiently(() => getJson<RunList>(`/pipelines/runs${qs({ limit: 50 })}`, { signal: ctx.signal }), ctx.signal, (err) => (note.textContent = `Waiting for the gateway: ${describeError(err)}`));
    if (!page) return;
    note.textContent = '';
    // Redrawn only when a run appeared or changed state, so that links keep focus between polls.
    const signature = page.runs.map((r) => `${r.runId}:${r.status}`).join();
    if (signature !== drawn) {
      drawn = signature;
      replace(list, runTable(page.runs));
    }
    // Every 2 s while a run is active; every 10 s otherwise, for runs started elsewhere (a scheduler, the CLI).
    if (!(await pause(page.runs.some((r) => ACTIVE.has(r.status)) ? POLL_MS * 2 : POLL_MS * 10, ctx.signal))) return;
  }
}

function runTable(runs: Run[]): HTMLElement {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No runs yet.');
  return h(
    'table',
    { class: 'runs' },
    h('caption', { class: 'sr-only' }, 'Pipeline runs, newest first'),
    h('thead', null, h('tr', null, ['Run', 'Status', 'Engine', 'Input', 'Created', 'Duration'].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      null,
      runs.map((r) =>
        h(
          'tr',
          null,
          h('td', null, h('a', { href: `#/runs/${encodeURIComponent(r.runId)}` }, r.runId)),
          h('td', null, badge(r.status)),
          h('td', null, r.engine),
          h('td', { class: 'path' }, [r.input].flat().join(', ')),
          h('td', null, new Date(r.createdAt).toLocaleString('en-GB')),
          h('td', null, r.startedAt && r.finishedAt ? formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt)) : '—'),
        ),
      ),
    ),
  );
}

function startForm(ctx: PageContext): HTMLElement | null {
  if (!ctx.can('pipelines')) return null;
  const input = h('input', { type: 'text', name: 'input', required: true, placeholder: '/data/card_transactions.csv or s3://bucket/prefix/', size: '50' });
  const year = h('input', { type: 'number', name: 'year', min: '1970', max: '2999', placeholder: 'from the data' });
  const engine = select(PIPELINE_ENGINES, 'local', { name: 'engine' });
  const stages = STAGES.map((s) => checkbox(s, { name: 'stage', value: s, checked: true }));
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Start run');
  const out = h('p', { role: 'status' });
  // One key per submission: a double click or a retry after no answer starts one run, not two.
  let idempotencyKey = randomToken();
  return h(
    'form',
    {
      class: 'start-run',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        if (submit.disabled) return;
        submit.disabled = true;
        const chosen = stages.filter((s) => s.input.checked).map((s) => s.input.value);
        try {
          const body = { input: input.value.trim(), engine: engine.value, stages: chosen, idempotencyKey, ...(year.value ? { year: Number(year.value) } : {}) };
          const r = await getJson<RunAccepted>('/pipelines/run', { method: 'POST', body, signal: ctx.signal });
          ctx.go(`#/runs/${encodeURIComponent(r.runId)}`);
        } catch (err) {
          // A refusal is final for this request: the corrected one gets a new key.
          if (!isTransient(err)) idempotencyKey = randomToken();
          replace(out, h('span', { class: 'error', role: 'alert' }, describeError(err)));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h2', null, 'Start a run'),
    h('div', { class: 'toolbar' }, field('Input (CSV file, folder, glob or s3:// prefix)', input), field('Year', year), field('Engine', engine)),
    h('fieldset', { class: 'stages' }, h('legend', null, 'Stages'), stages.map((s) => s.dom)),
    submit,
    out,
  );
}

async function runDetail(root: HTMLElement, ctx: PageContext, runId: string): Promise<void> {
  const path = `/pipelines/runs/${encodeURIComponent(runId)}`;
  const status = h('span', { 'data-testid': 'run-status' });
  const where = h('span');
  const cancelNote = h('span', { role: 'status' });
  const cancel = h(
    'button',
    {
      type: 'button',
      class: 'danger',
      hidden: true,
      onclick: async () => {
        cancel.disabled = true;
        cancelNote.textContent = 'Cancelling…';
        try {
          await getJson<Run>(`${path}/cancel`, { method: 'POST', signal: ctx.signal });
        } catch (err) {
          cancelNote.textContent = describeError(err);
          cancel.disabled = false;
        }
      },
    },
    'Cancel run',
  );
  const error = h('div');
  const facts = h('dl', { class: 'facts' });
  const timeline = h('div', { class: 'timeline' });
  const quality = h('div', { class: 'quality' });
  const benchmark = h('div', { class: 'benchmark' });
  const logs = h('pre', { class: 'code logs', tabindex: '0', 'aria-label': 'Run log' });
  const waiting = h('p', { class: 'muted', role: 'status' });
  replace(
    root,
    h('p', null, h('a', { href: '#/runs' }, '← All runs')),
    h('h1', null, `Run ${runId}`),
    h('p', { class: 'run-status' }, 'Status ', status, where, ' ', cancel, ' ', cancelNote),
    waiting,
    error,
    facts,
    h('h2', null, 'Stages'),
    timeline,
    h('h2', null, 'Quality'),
    quality,
    benchmark,
    h('h2', null, 'Log'),
    logs,
  );
  // The structure above stays; each poll only changes text, badges and bars, so the Cancel button and
  // the log keep focus and a click is never lost to a redraw.
  let factsDrawn = false;
  for (;;) {
    const run = await patiently(() => getJson<Run>(path, { signal: ctx.signal }), ctx.signal, (err) => (waiting.textContent = `Waiting for the gateway: ${describeError(err)}`));
    if (!run) return;
    waiting.textContent = '';
    if (status.textContent !== run.status) replace(status, badge(run.status));
    where.textContent = ` on ${run.engine}${run.year ? `, year ${run.year}` : ''}`;
    cancel.hidden = !(ctx.can('pipelines') && ACTIVE.has(run.status));
    replace(error, run.error ? h('p', { class: 'error' }, run.error) : null);
    if (!factsDrawn) {
      factsDrawn = true;
      replace(facts, h('dt', null, 'Input'), h('dd', null, h('code', null, [run.input].flat().join(', '))), h('dt', null, 'Output'), h('dd', null, h('code', null, run.output)), h('dt', null, 'Created'), h('dd', null, new Date(run.createdAt).toLocaleString('en-GB')));
    }
    drawTimeline(timeline, run);
    drawQuality(quality, run);
    drawBenchmark(benchmark, run);
    const text = await getText(`${path}/logs`, { signal: ctx.signal }).catch((err: unknown) => (isTransient(err) ? logs.textContent ?? '' : describeError(err)));
    if (text !== logs.textContent) logs.textContent = text;
    if (!ACTIVE.has(run.status)) {
      cancelNote.textContent = '';
      return;
    }
    if (!(await pause(POLL_MS, ctx.signal))) return;
  }
}

// A running stage's end is the gateway's now, not this browser's (their clocks may differ).
const stageEnd = (s: Stage): number => (s.finishedAt ? Date.parse(s.finishedAt) : serverNow());

/** Each stage as a bar on one time axis (start offset and duration), with its progress while it runs. */
function drawTimeline(root: HTMLElement, run: Run): void {
  const started = run.stages.filter((s) => s.startedAt);
  const t0 = Math.min(...started.map((s) => Date.parse(s.startedAt!)), serverNow());
  const t1 = Math.max(...started.map(stageEnd), t0 + 1);
  replace(
    root,
    h(
      'ol',
      { class: 'stages-timeline' },
      run.stages.map((s) => {
        const from = s.startedAt ? Date.parse(s.startedAt) : undefined;
        const left = from === undefined ? 0 : ((from - t0) / (t1 - t0)) * 100;
        const width = from === undefined ? 0 : Math.max(((stageEnd(s) - from) / (t1 - t0)) * 100, 0.5);
        const pct = s.progress?.percent;
        return h(
          'li',
          { class: `stage stage-${s.status}`, 'data-stage': s.name },
          h('span', { class: 'stage-name' }, s.name),
          badge(s.status),
          h('span', { class: 'track', 'aria-hidden': 'true' }, h('span', { class: 'bar', style: `left:${left}%;width:${width}%` })),
          h('span', { class: 'stage-time' }, from === undefined ? '' : formatDuration(stageEnd(s) - from), s.attempts > 1 ? ` (${s.attempts} attempts)` : '', s.rows === null || s.rows === undefined ? '' : ` · ${s.rows.toLocaleString('en')} rows`),
          s.status === 'running' && pct !== undefined ? h('progress', { max: '100', value: String(pct), 'aria-label': `${s.name} progress` }) : null,
          s.status === 'running' && pct !== undefined ? h('span', { class: 'muted' }, ` ${pct.toFixed(0)}%${s.progress?.etaSeconds ? `, about ${Math.ceil(s.progress.etaSeconds)} s left` : ''}`) : null,
          s.error ? h('p', { class: 'error' }, s.error) : null,
        );
      }),
    ),
  );
}

function drawQuality(root: HTMLElement, run: Run): void {
  if (!run.quality) return replace(root, h('p', { class: 'muted' }, 'No quality report (yet).'));
  replace(
    root,
    h('p', null, 'Overall ', badge(run.quality.overall)),
    h(
      'table',
      { class: 'checks' },
      h('caption', { class: 'sr-only' }, 'Quality checks'),
      h('thead', null, h('tr', null, ['Check', 'Status', 'Issues', 'Detail'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, run.quality.checks.map((c) => h('tr', null, h('td', null, c.name), h('td', null, badge(c.status)), h('td', { class: 'num' }, c.issueCount.toLocaleString('en')), h('td', null, c.detail)))),
    ),
  );
}

function drawBenchmark(root: HTMLElement, run: Run): void {
  if (!run.benchmark?.length) return replace(root);
  replace(
    root,
    h('h2', null, 'Benchmark'),
    dataGrid(
      [{ name: 'benchmark' }, { name: 'variant' }, { name: 'elapsed ms', type: 'double' }, { name: 'improvement %', type: 'double' }, { name: 'detail' }],
      run.benchmark.map((b) => [b.benchmark, b.variant, Math.round(b.elapsedMs), b.improvementPct ?? null, b.detail ?? '']),
      'Benchmark results',
      240,
    ),
  );
}

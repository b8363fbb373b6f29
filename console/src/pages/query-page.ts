import { ApiError, describeError, getJson, request } from '../api.js';
import { dataGrid } from '../components/data-grid.js';
import { sqlEditor } from '../components/sql-editor.js';
import { field, formatDuration, h, replace, select } from '../dom.js';
import { latestOnly, type PageContext } from '../page.js';
import { DIALECTS, type EngineInfo, type QueryResult, type SqlDialect, type TableSummary, type TranslateResult } from '../types.js';

const DRAFT = 'lakegate.query.draft';
const HISTORY = 'lakegate.query.history';
const HISTORY_SIZE = 50;
const SOURCE_ERRORS = new Set(['SQL_SYNTAX', 'SQL_NOT_ALLOWED']);

const EXAMPLE = `-- Hive SQL: approved amount per category
SELECT category, count(*) AS transactions, sum(amount) AS total_amount
FROM card_analytics.partitioned_transactions
GROUP BY category
ORDER BY total_amount DESC
LIMIT 10`;

interface Draft {
  sql: string;
  dialect: SqlDialect;
  engine: string;
  preview: SqlDialect;
}

interface HistoryEntry extends Draft {
  at: string;
  outcome: string;
}

function load<T>(key: string, fallback: T): T {
  try {
    const raw = sessionStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

/** #/query: the SQL editor, a live translation for a chosen dialect, run/cancel, the result grid, CSV, history. */
export async function queryPage(root: HTMLElement, ctx: PageContext): Promise<void> {
  const [{ engines }, { tables }] = await Promise.all([
    getJson<{ engines: EngineInfo[] }>('/engines', { signal: ctx.signal }),
    getJson<{ tables: TableSummary[] }>('/tables', { signal: ctx.signal }).catch(() => ({ tables: [] as TableSummary[] })),
  ]);
  const runnable = engines.filter((e) => e.executes);
  const draft: Draft = { sql: EXAMPLE, dialect: 'hive', engine: runnable[0]?.name ?? 'duckdb', preview: 'trino', ...load<Partial<Draft>>(DRAFT, {}) };
  // Nothing is written once the page is left: after a sign-out, the tab's storage stays empty.
  const save = (): void => {
    if (!ctx.signal.aborted) sessionStorage.setItem(DRAFT, JSON.stringify(draft));
  };

  const dialect = select(DIALECTS, draft.dialect, { name: 'dialect' });
  const engine = select(
    runnable.map((e) => ({ value: e.name, label: `${e.name}${e.reachable ? '' : ' (unreachable)'}` })),
    draft.engine,
    { name: 'engine' },
  );
  const previewAs = select(DIALECTS, draft.preview, { name: 'preview' });
  // Empty: the gateway's default (and the key's cap) applies.
  const maxRows = h('input', { type: 'number', min: '1', name: 'maxRows', placeholder: 'gateway default' });

  const schema: Record<string, Record<string, string[]>> = {};
  for (const t of tables) (schema[t.database] ??= {})[t.name] = [];

  const previewNote = h('div', { class: 'preview-note', role: 'status', 'aria-live': 'polite' });
  const preview = sqlEditor({ doc: '', dialect: draft.preview, label: 'Translated SQL', readOnly: true });
  let translateTimer: ReturnType<typeof setTimeout> | undefined;
  const nextTranslation = latestOnly(ctx.signal);
  const translate = (): void => {
    clearTimeout(translateTimer);
    translateTimer = setTimeout(async () => {
      const signal = nextTranslation();
      try {
        const r = await getJson<TranslateResult>('/query/translate', { method: 'POST', body: { sql: editor.text(), from: dialect.value, to: previewAs.value }, signal });
        preview.setText(r.sql);
        editor.clearErrors();
        replace(previewNote, r.warnings.map((w) => h('p', { class: 'warning' }, w)));
      } catch (err) {
        if (signal.aborted) return;
        // A fault of the SQL itself is marked in the editor; one of the preview's target only here.
        editor.clearErrors();
        showError(err);
        replace(previewNote, h('p', { class: 'error' }, describeError(err)));
      }
    }, 250);
  };

  const editor = sqlEditor({
    doc: draft.sql,
    dialect: draft.dialect,
    label: 'SQL',
    schema,
    onChange: (text) => {
      draft.sql = text;
      save();
      translate();
    },
    onRun: () => {
      // Ctrl-Enter is the Run button: not while something runs.
      if (!runButton.disabled) void run();
    },
  });
  // Only these are about the text in the editor: an engine's own error (QUERY_FAILED) points into the
  // translated SQL, and SQL_UNTRANSLATABLE is about the target, not the source.
  const showError = (err: unknown): void => {
    if (err instanceof ApiError && SOURCE_ERRORS.has(err.code)) editor.markError(describeError(err), err.problem.position);
  };

  dialect.addEventListener('change', () => {
    draft.dialect = dialect.value as SqlDialect;
    editor.setDialect(draft.dialect);
    save();
    translate();
  });
  previewAs.addEventListener('change', () => {
    draft.preview = previewAs.value as SqlDialect;
    preview.setDialect(draft.preview);
    save();
    translate();
  });
  engine.addEventListener('change', () => {
    draft.engine = engine.value;
    save();
  });

  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { class: 'results' });
  const historyList = h('ol', { class: 'history' });
  const runButton = h('button', { type: 'button', class: 'primary', onclick: () => void run() }, 'Run');
  const cancelButton = h('button', { type: 'button', disabled: true, onclick: () => running?.abort() }, 'Cancel');
  const csvButton = h('button', { type: 'button', disabled: true, onclick: () => void downloadCsv() }, 'Download CSV');
  let running: AbortController | undefined;
  /** The request of the result on screen: the CSV download asks for exactly that. */
  let shown: ReturnType<typeof body> | undefined;

  const body = () => ({ sql: editor.text(), dialect: dialect.value, engine: engine.value, maxRows: Number(maxRows.value) || undefined });

  const remember = (outcome: string): void => {
    if (ctx.signal.aborted) return;
    const entries = load<HistoryEntry[]>(HISTORY, []);
    entries.unshift({ ...draft, sql: editor.text(), at: new Date().toISOString(), outcome });
    sessionStorage.setItem(HISTORY, JSON.stringify(entries.slice(0, HISTORY_SIZE)));
    drawHistory();
  };
  const drawHistory = (): void => {
    const entries = load<HistoryEntry[]>(HISTORY, []);
    replace(
      historyList,
      entries.map((e) =>
        h(
          'li',
          null,
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              title: e.sql,
              onclick: () => {
                // An engine no longer offered keeps the current one.
                const eng = runnable.some((r) => r.name === e.engine) ? e.engine : engine.value;
                Object.assign(draft, { sql: e.sql, dialect: e.dialect, engine: eng, preview: e.preview });
                dialect.value = e.dialect;
                engine.value = eng;
                previewAs.value = e.preview;
                editor.setDialect(e.dialect);
                preview.setDialect(e.preview);
                editor.setText(e.sql);
              },
            },
            e.sql.replace(/\s+/g, ' ').slice(0, 80),
          ),
          h('small', null, ` ${new Date(e.at).toLocaleTimeString('en-GB')} · ${e.dialect} → ${e.engine} · ${e.outcome}`),
        ),
      ),
      entries.length === 0 ? h('li', { class: 'muted' }, 'Queries you run in this tab appear here.') : null,
    );
  };

  /** Starts work that Cancel stops: Run and CSV both, one at a time. */
  const begin = (): AbortController => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    runButton.disabled = true;
    csvButton.disabled = true;
    cancelButton.disabled = false;
    return controller;
  };
  const end = (controller: AbortController): void => {
    if (running !== controller) return;
    running = undefined;
    runButton.disabled = false;
    csvButton.disabled = shown === undefined;
    cancelButton.disabled = true;
  };

  const run = async (): Promise<void> => {
    const controller = begin();
    const started = performance.now();
    editor.clearErrors();
    // The live region says it once; the ticking time beside it is not announced.
    const elapsed = h('span', { 'aria-hidden': 'true' });
    replace(status, 'Running… ', elapsed);
    const tick = setInterval(() => (elapsed.textContent = formatDuration(performance.now() - started)), 500);
    const request = body();
    try {
      const r = await getJson<QueryResult>('/query', { method: 'POST', body: request, signal: AbortSignal.any([controller.signal, ctx.signal]) });
      shown = request;
      const summary = `${r.rowCount.toLocaleString('en')} rows${r.truncated ? ' (truncated at maxRows)' : ''} in ${formatDuration(r.elapsedMs)} on ${r.engine}${r.cache?.hit ? ' (cached)' : ''}`;
      replace(status, summary);
      replace(
        results,
        r.warnings.map((w) => h('p', { class: 'warning' }, w)),
        dataGrid(r.columns, r.rows, 'Query result'),
        h('details', null, h('summary', null, `SQL run on ${r.engine}`), h('pre', { class: 'code' }, r.sql.executed)),
      );
      remember(`${r.rowCount} rows`);
    } catch (err) {
      if (ctx.signal.aborted) return;
      if (controller.signal.aborted) {
        replace(status, 'Cancelled.');
        remember('cancelled');
        return;
      }
      showError(err);
      replace(status, h('span', { class: 'error', role: 'alert' }, describeError(err)));
      remember(err instanceof ApiError ? err.code : 'failed');
      if (err instanceof ApiError && err.code === 'RESULT_TOO_LARGE') {
        // Too big for a JSON answer: CSV streams the same query without that cap.
        shown = request;
        replace(results, h('p', null, 'The result is too large to show here; Download CSV streams it.'));
      }
    } finally {
      clearInterval(tick);
      end(controller);
    }
  };

  /** The result on screen as CSV, asked again of the gateway (up to its maxRows, without the JSON answer's size cap). */
  const downloadCsv = async (): Promise<void> => {
    if (!shown) return;
    const controller = begin();
    replace(status, 'Preparing CSV…');
    try {
      const res = await request('/query', { method: 'POST', body: shown, accept: 'csv', signal: AbortSignal.any([controller.signal, ctx.signal]) });
      const url = URL.createObjectURL(await res.blob());
      const a = h('a', { href: url, download: 'lakegate-query.csv' });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      replace(status, 'CSV downloaded.');
    } catch (err) {
      if (!ctx.signal.aborted) replace(status, controller.signal.aborted ? 'Cancelled.' : h('span', { class: 'error', role: 'alert' }, describeError(err)));
    } finally {
      end(controller);
    }
  };

  replace(
    root,
    h('h1', null, 'Query'),
    h('div', { class: 'toolbar' }, field('Written in', dialect), field('Run on', engine), field('Preview as', previewAs), field('Max rows', maxRows), runButton, cancelButton, csvButton),
    h(
      'div',
      { class: 'editors' },
      h('section', { 'aria-label': 'SQL editor' }, h('h2', null, 'SQL'), editor.dom, h('small', { class: 'hint' }, 'Ctrl-Enter runs the query.')),
      h('section', { 'aria-label': 'Translation' }, h('h2', null, 'Translation'), preview.dom, previewNote),
    ),
    status,
    results,
    h('section', { 'aria-label': 'History' }, h('h2', null, 'History'), historyList),
  );
  drawHistory();
  translate();
  ctx.signal.addEventListener('abort', () => {
    clearTimeout(translateTimer);
    running?.abort();
  });
}

import { describeError, getJson, getText, qs } from '../api.js';
import { dataGrid } from '../components/data-grid.js';
import { badge, checkbox, field, formatBytes, h, replace, select } from '../dom.js';
import { latestOnly, type PageContext } from '../page.js';
import { DIALECTS, type PartitionList, type RepairResult, type Table, type TableSummary, type ValidateResult } from '../types.js';

/** The search text, kept in the tab while the user moves from table to table (sign-out forgets it). */
const SEARCH = 'lakegate.tables.search';

/** #/tables[/name]: the catalog with search; a table's columns, partitions, DDL per dialect, validation and repair. */
export async function tablesPage(root: HTMLElement, ctx: PageContext, [selected]: string[]): Promise<void> {
  const { tables } = await getJson<{ tables: TableSummary[] }>('/tables', { signal: ctx.signal });
  const search = h('input', { type: 'search', placeholder: 'name, database or location', value: sessionStorage.getItem(SEARCH) ?? '' });
  const list = h('ul', { class: 'table-list' });
  const drawList = (): void => {
    const q = search.value.trim().toLowerCase();
    const shown = tables.filter((t) => `${t.database}.${t.name} ${t.location}`.toLowerCase().includes(q));
    replace(
      list,
      shown.map((t) =>
        h('li', null, h('a', { href: `#/tables/${encodeURIComponent(t.name)}`, 'aria-current': t.name === selected ? 'page' : undefined }, t.name, h('small', null, ` ${t.database}`))),
      ),
      shown.length === 0 ? h('li', { class: 'muted' }, 'No table matches.') : null,
    );
  };
  search.addEventListener('input', () => {
    if (!ctx.signal.aborted) sessionStorage.setItem(SEARCH, search.value);
    drawList();
  });
  drawList();
  const detail = h('section', { class: 'table-detail', 'aria-label': 'Table' });
  replace(root, h('h1', null, 'Tables'), h('div', { class: 'split' }, h('aside', { class: 'sidebar', 'aria-label': 'Catalog' }, field(`Search ${tables.length} tables`, search), list), detail));
  if (!selected) {
    replace(detail, h('p', { class: 'muted' }, tables.length ? 'Pick a table.' : 'The catalog has no tables yet: run the pipeline or register one with POST /tables.'));
    return;
  }
  await tableDetail(detail, ctx, selected);
}

async function tableDetail(root: HTMLElement, ctx: PageContext, name: string): Promise<void> {
  const table = await getJson<Table>(`/tables/${encodeURIComponent(name)}`, { signal: ctx.signal });
  const partitions = h('div', { class: 'partitions' });
  const ddl = h('div', { class: 'ddl' });
  const validate = h('div', { class: 'validate' });
  replace(
    root,
    h('h2', null, `${table.database}.${table.name}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Location'),
      h('dd', null, h('code', null, table.location)),
      h('dt', null, 'Format'),
      h('dd', null, table.format),
      h('dt', null, 'Partitions'),
      h('dd', { 'data-testid': 'partition-count' }, String(table.partitionCount)),
      table.stats ? [h('dt', null, 'Data'), h('dd', null, `${table.stats.files} files, ${formatBytes(table.stats.bytes)}${table.stats.rows === null || table.stats.rows === undefined ? '' : `, ${table.stats.rows.toLocaleString('en')} rows`}`)] : null,
      table.comment ? [h('dt', null, 'Comment'), h('dd', null, table.comment)] : null,
    ),
    h('h3', null, 'Columns'),
    dataGrid(
      [{ name: 'column' }, { name: 'type' }, { name: 'comment' }],
      [...table.columns.map((c) => [c.name, c.type, c.comment ?? '']), ...table.partitionKeys.map((c) => [c.name, c.type, 'partition key'])],
      `Columns of ${table.name}`,
      300,
    ),
    table.partitionKeys.length ? [h('h3', null, 'Partitions'), partitions] : null,
    ctx.can('catalog') ? repairPanel(ctx, table, () => loadPartitions(partitions, ctx, table, root.querySelector('[data-testid="partition-count"]'))) : null,
    h('h3', null, 'DDL'),
    ddl,
    h('h3', null, 'Validation'),
    validate,
  );
  ddlPanel(ddl, ctx, table.name);
  validatePanel(validate, ctx, table.name);
  if (table.partitionKeys.length) await loadPartitions(partitions, ctx, table);
}

/** The registered partitions: how many per value of the first key, and every one with its location. */
async function loadPartitions(root: HTMLElement, ctx: PageContext, table: Table, count?: Element | null): Promise<void> {
  const { partitions } = await getJson<PartitionList>(`/tables/${encodeURIComponent(table.name)}/partitions`, { signal: ctx.signal });
  if (count) count.textContent = String(partitions.length);
  const keys = table.partitionKeys.map((k) => k.name);
  const first = keys[0]!;
  const counts = new Map<string, number>();
  for (const p of partitions) counts.set(p.values[first] ?? '', (counts.get(p.values[first] ?? '') ?? 0) + 1);
  replace(
    root,
    h('p', { 'data-testid': 'partitions-summary' }, `${partitions.length} partitions`, keys.length > 1 ? ` (${[...counts].map(([v, n]) => `${first}=${v}: ${n}`).join(', ')})` : ''),
    dataGrid([...keys.map((name) => ({ name })), { name: 'location' }], partitions.map((p) => [...keys.map((k) => p.values[k] ?? null), p.location]), `Partitions of ${table.name}`, 320),
  );
}

function ddlPanel(root: HTMLElement, ctx: PageContext, name: string): void {
  const dialect = select(DIALECTS, 'hive');
  const text = h('pre', { class: 'code', tabindex: '0', 'aria-label': 'DDL' });
  const copied = h('span', { class: 'muted', role: 'status' });
  // Only the last dialect picked may write its DDL.
  const nextLoad = latestOnly(ctx.signal);
  const load = async (): Promise<void> => {
    const signal = nextLoad();
    try {
      const ddl = await getText(`/tables/${encodeURIComponent(name)}/ddl${qs({ dialect: dialect.value })}`, { signal });
      if (!signal.aborted) text.textContent = ddl;
    } catch (err) {
      if (!signal.aborted) text.textContent = describeError(err);
    }
  };
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text.textContent ?? '');
      copied.textContent = 'Copied.';
    } catch {
      // No clipboard permission: select the text so Ctrl-C copies it.
      getSelection()?.selectAllChildren(text);
      copied.textContent = 'Selected: press Ctrl-C to copy.';
    }
  };
  dialect.addEventListener('change', () => void load());
  replace(root, h('div', { class: 'toolbar' }, field('Dialect', dialect), h('button', { type: 'button', onclick: () => void copy() }, 'Copy'), copied), text);
  void load();
}

function validatePanel(root: HTMLElement, ctx: PageContext, name: string): void {
  const out = h('div', { role: 'status' });
  const run = async (): Promise<void> => {
    replace(out, h('span', { class: 'muted' }, 'Reading the Parquet footers…'));
    try {
      const r = await getJson<ValidateResult>(`/tables/${encodeURIComponent(name)}/validate`, { signal: ctx.signal });
      replace(
        out,
        h('p', null, badge(r.ok ? 'PASS' : 'FAIL'), ` ${r.ok ? 'the declared schema matches' : `${r.differences.length} differences`}${r.filesChecked === undefined ? '' : ` (${r.filesChecked} files checked)`}`),
        r.differences.length ? dataGrid([{ name: 'column' }, { name: 'declared' }, { name: 'actual' }, { name: 'file' }], r.differences.map((d) => [d.column, d.declared, d.actual, d.file ?? '']), 'Schema differences', 240) : null,
      );
    } catch (err) {
      replace(out, h('p', { class: 'error' }, describeError(err)));
    }
  };
  replace(root, h('button', { type: 'button', onclick: () => void run() }, 'Validate against the files'), out);
}

/**
 * What Apply changed that its dry run did not show (files landed or went meanwhile): the API applies
 * what it finds then, so the difference is shown rather than hidden.
 */
function surprises(dry: RepairResult, applied: RepairResult): HTMLElement | null {
  const failed = new Set((applied.failed ?? []).map((f) => f.partition));
  const unseen = (now: string[], before: string[]) => {
    const seen = new Set(before);
    return now.filter((p) => !seen.has(p) && !failed.has(p));
  };
  const extra = [...unseen(applied.added, dry.added).map((p) => `+ ${p}`), ...unseen(applied.removed, dry.removed).map((p) => `− ${p}`)];
  // Failures are listed on their own; what is left was gone or registered by someone else meanwhile.
  const skipped = [...unseen(dry.added, applied.added).map((p) => `+ ${p}`), ...unseen(dry.removed, applied.removed).map((p) => `− ${p}`)];
  if (extra.length === 0 && skipped.length === 0) return null;
  return h(
    'p',
    { class: 'warning surprises' },
    'The location or the catalog changed since the dry run. ',
    extra.length ? `Also applied: ${extra.join(', ')}. ` : '',
    skipped.length ? `Not applied (gone, or already done meanwhile): ${skipped.join(', ')}.` : '',
  );
}

/** Repair: a dry run shows what would change; Apply registers it. Only for keys with the catalog scope. */
function repairPanel(ctx: PageContext, table: Table, reload: () => Promise<void>): HTMLElement {
  const dropMissing = checkbox('Also drop partitions whose folder is gone');
  const out = h('div', { class: 'repair-result', role: 'status' });
  // Apply does what the dry run showed: a changed option needs a new dry run, and only the latest
  // request may show its answer (an older one still on its way is dropped).
  let latest = 0;
  dropMissing.input.addEventListener('change', () => {
    latest++;
    replace(out);
  });
  const repair = async (dryRun: boolean, drop: boolean, shown?: RepairResult): Promise<void> => {
    const mine = ++latest;
    replace(out, h('span', { class: 'muted' }, dryRun ? 'Listing the location…' : 'Registering…'));
    try {
      const r = await getJson<RepairResult>(`/tables/${encodeURIComponent(table.name)}/repair`, { method: 'POST', body: { dryRun, dropMissing: drop }, signal: ctx.signal });
      if (mine !== latest && dryRun) return;
      const changes = r.added.length + r.removed.length;
      replace(
        out,
        h('p', null, dryRun ? `Dry run: ${r.added.length} to add, ${r.removed.length} to remove` : `Applied: ${r.added.length} added, ${r.removed.length} removed`, `, ${r.unchanged} unchanged`, r.skipped.length ? `, ${r.skipped.length} skipped` : ''),
        shown ? surprises(shown, r) : null,
        changes || r.skipped.length
          ? h(
              'ul',
              { class: 'diff' },
              r.added.map((p) => h('li', { class: 'added' }, `+ ${p}`)),
              r.removed.map((p) => h('li', { class: 'removed' }, `− ${p}`)),
              r.skipped.map((s) => h('li', { class: 'skipped' }, `skipped ${s.path}: ${s.reason}`)),
              (r.failed ?? []).map((f) => h('li', { class: 'removed' }, `failed ${f.partition}: ${f.reason}`)),
            )
          : null,
        dryRun && changes ? h('button', { type: 'button', class: 'primary', onclick: (e: Event) => ((e.currentTarget as HTMLButtonElement).disabled = true, void repair(false, drop, r)) }, `Apply ${changes} changes`) : null,
        !dryRun ? h('details', null, h('summary', null, 'Refresh statements per engine'), h('pre', { class: 'code' }, Object.entries(r.statements).map(([e, s]) => `-- ${e}\n${s.join('\n')}`).join('\n\n'))) : null,
      );
      // The partitions shown are read again; failing to read them is not a failed Apply.
      if (!dryRun) await reload().catch((err: unknown) => out.append(h('p', { class: 'warning' }, `Applied, but the partitions could not be read again: ${describeError(err)}`)));
    } catch (err) {
      if (mine === latest) replace(out, h('p', { class: 'error' }, describeError(err)));
    }
  };
  return h(
    'section',
    { class: 'repair', 'aria-label': 'Repair' },
    h('h3', null, 'Repair'),
    h('p', { class: 'muted' }, 'Finds partitions that landed under the location and registers them. Start with a dry run.'),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', onclick: () => void repair(true, dropMissing.input.checked) }, 'Repair (dry run)'), dropMissing.dom),
    out,
  );
}

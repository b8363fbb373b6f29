import { h } from '../dom.js';

export interface GridColumn {
  name: string;
  type?: string;
}

const ROW_HEIGHT = 28;
const OVERSCAN = 10;
const NUMERIC = /^(tinyint|smallint|int|integer|bigint|hugeint|float|real|double|decimal|numeric|ubigint|uinteger)/i;

/** Whether a result column's type (as the engines name it) holds numbers. */
export function isNumericType(type: string | undefined): boolean {
  return NUMERIC.test(type ?? '');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Each column's width from its name and the first rows' text, the same for every row so cells line up. */
function columnWidths(columns: readonly GridColumn[], rows: readonly (readonly unknown[])[]): number[] {
  const sample = rows.slice(0, 200);
  // Hangul and other wide characters take about two columns of a Latin font.
  const width = (text: string): number => [...text].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x1100 ? 2 : 1), 0);
  return columns.map((c, i) => {
    const chars = Math.max(width(c.name) + 1, ...sample.map((r) => width(cellText(r[i]))));
    return Math.round(Math.min(Math.max(chars * 8.2 + 26, 64), 440));
  });
}

/**
 * A result grid that renders only the rows in view (plus a few), so 10,000 rows or more scroll as
 * fast as 10: the DOM holds about a screenful of rows whatever the result's size. It is an ARIA table
 * (rows carry aria-rowindex) and the scroll area is focusable, so it scrolls from the keyboard too.
 */
export function dataGrid(columns: readonly GridColumn[], rows: readonly (readonly unknown[])[], label: string, height = 420): HTMLElement {
  const template = columnWidths(columns, rows).map((w) => `${w}px`).join(' ');
  const numeric = columns.map((c) => isNumericType(c.type));
  const header = h(
    'div',
    { role: 'rowgroup', class: 'grid-head' },
    h('div', { role: 'row', 'aria-rowindex': '1', class: 'grid-row', style: `grid-template-columns:${template}` }, columns.map((c, i) => h('div', { role: 'columnheader', class: numeric[i] ? 'num' : '', title: c.type ?? '' }, c.name))),
  );
  const body = h('div', { role: 'rowgroup', class: 'grid-body', style: `height:${rows.length * ROW_HEIGHT}px` });
  const scroller = h(
    'div',
    { role: 'table', class: 'grid', tabindex: '0', 'aria-label': label, 'aria-rowcount': String(rows.length + 1), 'aria-colcount': String(columns.length), style: `max-height:${height}px` },
    header,
    body,
  );
  let first = -1;
  let last = -1;
  const draw = (): void => {
    const top = Math.max(0, scroller.scrollTop - header.offsetHeight);
    const from = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const to = Math.min(rows.length, Math.ceil((top + (scroller.clientHeight || height)) / ROW_HEIGHT) + OVERSCAN);
    if (from === first && to === last) return;
    first = from;
    last = to;
    const visible: HTMLElement[] = [];
    for (let r = from; r < to; r++) {
      const row = rows[r]!;
      visible.push(
        h(
          'div',
          { role: 'row', 'aria-rowindex': String(r + 2), class: 'grid-row', style: `grid-template-columns:${template};top:${r * ROW_HEIGHT}px` },
          columns.map((_, i) => {
            const v = row[i];
            return h('div', { role: 'cell', class: `${numeric[i] ? 'num' : ''}${v === null || v === undefined ? ' null' : ''}` }, cellText(v));
          }),
        ),
      );
    }
    body.replaceChildren(...visible);
  };
  let pending = false;
  scroller.addEventListener('scroll', () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  });
  // Drawn once attached (its size is known then); a detached grid draws its first screen at once.
  draw();
  requestAnimationFrame(() => {
    first = -1;
    draw();
  });
  return scroller;
}

/** A child of h(): nodes, text, or nothing (null, undefined, false), nested in arrays. */
export type Child = Node | string | number | null | undefined | false | readonly Child[];

/** Attributes of h(): `on<event>` functions become listeners, `value`/`checked` set the property, the rest attributes. */
export type Props = Record<string, unknown>;

/** Creates an element: `h('button', { class: 'primary', onclick: run }, 'Run')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value as EventListener);
    else if (key === 'value' || key === 'checked') (el as unknown as Record<string, unknown>)[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends children (flattening arrays, skipping nothing-values). */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A status badge: PASS/WARN/FAIL and run statuses share its colours (style.css `.badge-<value>`). */
export function badge(value: string): HTMLElement {
  return h('span', { class: `badge badge-${value.toLowerCase()}` }, value);
}

let fieldIds = 0;

/** A labelled form field: the label names the control (by id), so every control has an accessible name. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = `field-${++fieldIds}`;
  return h('div', { class: 'field' }, h('label', { class: 'field-label', for: control.id }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/** A select with options; `selected` picks the initial one. */
export function select(options: readonly (string | { value: string; label: string })[], selected?: string, props: Props = {}): HTMLSelectElement {
  return h(
    'select',
    props,
    options.map((o) => {
      const { value, label } = typeof o === 'string' ? { value: o, label: o } : o;
      return h('option', { value, selected: value === selected }, label);
    }),
  );
}

/** Bytes as a short human figure (1.2 MB). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** A duration in ms as `1.2 s`, `3 min 4 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A checkbox with its label beside it. */
export function checkbox(label: string, props: Props = {}): { dom: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', ...props });
  return { dom: h('label', { class: 'check' }, input, ` ${label}`), input };
}

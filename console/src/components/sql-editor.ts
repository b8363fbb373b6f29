import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { MySQL, PostgreSQL, sql, StandardSQL, type SQLDialect, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { tags as t } from '@lezer/highlight';
import type { SqlDialect } from '../types.js';

/** How each gateway dialect is highlighted: backtick dialects read as MySQL, double-quote ones as standard SQL. */
const HIGHLIGHTING: Readonly<Record<SqlDialect, SQLDialect>> = {
  hive: MySQL,
  impala: MySQL,
  spark: MySQL,
  athena: StandardSQL,
  trino: StandardSQL,
  duckdb: PostgreSQL,
};

/** Token colours with at least 4.5:1 contrast on the editor's white and on its active-line tint. */
const HIGHLIGHT = HighlightStyle.define([
  { tag: t.keyword, color: '#6a1b9a', fontWeight: '600' },
  { tag: [t.string, t.special(t.string)], color: '#a31515' },
  { tag: [t.number, t.bool, t.null], color: '#0b6b3a' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: '#4f5663', fontStyle: 'italic' },
  { tag: [t.typeName, t.standard(t.name)], color: '#005a8c' },
  { tag: [t.special(t.name), t.variableName, t.propertyName], color: '#1d2330' },
  { tag: [t.operator, t.punctuation, t.bracket], color: '#1d2330' },
]);

export interface SqlEditorOptions {
  doc: string;
  dialect: SqlDialect;
  /** The accessible name of the editing area. */
  label: string;
  readOnly?: boolean;
  placeholder?: string;
  /** Table names offered by completion. */
  schema?: SQLNamespace;
  onChange?: (text: string) => void;
  /** Ctrl/Cmd-Enter. */
  onRun?: () => void;
}

export interface SqlEditor {
  readonly dom: HTMLElement;
  text(): string;
  setText(text: string): void;
  setDialect(dialect: SqlDialect): void;
  /** Marks an error at a 1-based line and column (the gateway's `position`), or over the whole text without one. */
  markError(message: string, position?: { line: number; column: number }): void;
  clearErrors(): void;
  focus(): void;
}

/** A CodeMirror 6 SQL editor with highlighting per dialect, completion of table names and error marks. */
export function sqlEditor(options: SqlEditorOptions): SqlEditor {
  const language = new Compartment();
  const lang = (d: SqlDialect) => sql({ dialect: HIGHLIGHTING[d], upperCaseKeywords: true, ...(options.schema ? { schema: options.schema } : {}) });
  const extensions = [
    lineNumbers(),
    history(),
    bracketMatching(),
    syntaxHighlighting(HIGHLIGHT),
    language.of(lang(options.dialect)),
    EditorView.contentAttributes.of({ 'aria-label': options.label }),
    EditorView.lineWrapping,
  ];
  if (options.readOnly) extensions.push(EditorState.readOnly.of(true));
  else {
    extensions.push(
      lintGutter(),
      highlightActiveLine(),
      // Tab is left to the browser, so the keyboard can leave the editor.
      keymap.of([{ key: 'Mod-Enter', run: () => (options.onRun?.(), true) }, ...defaultKeymap, ...historyKeymap]),
    );
  }
  if (options.placeholder) extensions.push(placeholder(options.placeholder));
  if (options.onChange) {
    const onChange = options.onChange;
    extensions.push(EditorView.updateListener.of((u) => u.docChanged && onChange(u.state.doc.toString())));
  }
  const view = new EditorView({ doc: options.doc, extensions });
  view.dom.classList.add(options.readOnly ? 'editor-readonly' : 'editor');
  return {
    dom: view.dom,
    text: () => view.state.doc.toString(),
    setText: (text) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } }),
    setDialect: (d) => view.dispatch({ effects: language.reconfigure(lang(d)) }),
    markError: (message, position) => {
      const doc = view.state.doc;
      let from = 0;
      let to = doc.length;
      if (position && position.line >= 1 && position.line <= doc.lines) {
        const line = doc.line(position.line);
        from = Math.min(line.from + Math.max(position.column - 1, 0), line.to);
        // The token at the position: up to the next space or the line's end (at least one character).
        const rest = /^\S*/.exec(doc.sliceString(from, line.to))?.[0].length ?? 0;
        to = Math.min(from + Math.max(rest, 1), doc.length);
        if (from === to && from > 0) from--;
      }
      view.dispatch(setDiagnostics(view.state, [{ from, to, severity: 'error', message }]));
    },
    clearErrors: () => view.dispatch(setDiagnostics(view.state, [])),
    focus: () => view.focus(),
  };
}

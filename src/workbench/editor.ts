/**
 * CodeMirror 6, lean: no basicSetup (≈164 KB gz), just what editing a lab file needs. Colours
 * come from CSS custom properties (workbench.css), so the editor follows prefers-color-scheme
 * with no JavaScript.
 * Tab is left to the browser (focus moves on), so the editor never traps keyboard users;
 * indenting is Mod-] / Mod-[ (CodeMirror's default keymap).
 */
import { EditorSelection, EditorState, type Extension } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars, keymap, lineNumbers } from '@codemirror/view';
import { history, historyKeymap, indentLess, indentMore, redo, standardKeymap, toggleComment, undo, undoDepth } from '@codemirror/commands';
import { HighlightStyle, LanguageSupport, bracketMatching, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { typescriptLanguage } from '@codemirror/lang-javascript';
import { tags as t } from '@lezer/highlight';

const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword, t.definitionKeyword, t.modifier], color: 'var(--cm-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--cm-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--cm-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment, t.docComment], color: 'var(--cm-comment)', fontStyle: 'italic' },
  { tag: [t.typeName, t.className, t.namespace], color: 'var(--cm-type)' },
  { tag: [t.function(t.variableName), t.function(t.propertyName), t.definition(t.function(t.variableName))], color: 'var(--cm-function)' },
  { tag: [t.definition(t.variableName), t.definition(t.propertyName)], color: 'var(--cm-definition)' },
  { tag: [t.propertyName], color: 'var(--cm-property)' },
  { tag: [t.operator, t.punctuation, t.bracket], color: 'var(--cm-punct)' },
  { tag: t.invalid, color: 'var(--cm-invalid)' },
]);

const theme = EditorView.theme({
  '&': { color: 'var(--cm-fg)', backgroundColor: 'var(--cm-bg)', fontSize: '0.875rem' },
  '.cm-scroller': { fontFamily: 'var(--font-mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--cm-caret)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--cm-caret)', borderLeftWidth: '2px' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '-1px' },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'var(--cm-selection)',
  },
  '.cm-gutters': { backgroundColor: 'var(--cm-gutter-bg)', color: 'var(--cm-gutter-fg)', borderRight: '1px solid var(--border)' },
  '.cm-activeLine': { backgroundColor: 'var(--cm-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--cm-active-line)', color: 'var(--fg)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--cm-bracket)', outline: '1px solid var(--cm-bracket-outline)' },
  '&.cm-focused .cm-nonmatchingBracket': { backgroundColor: 'var(--cm-invalid-bg)' },
});

export interface EditorOptions {
  doc: string;
  parent: HTMLElement;
  /** The accessible name of the editing area ("learner.ts, your code"). */
  label: string;
  readOnly?: boolean;
  onChange?: (doc: string) => void;
  /** Mod-Enter (Ctrl-Enter, Cmd-Enter on a Mac). */
  onRun?: () => void;
}

export function createEditor(o: EditorOptions): EditorView {
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    drawSelection(),
    bracketMatching(),
    syntaxHighlighting(highlight),
    // javascript({ typescript: true }) without its completion sources (no autocompletion here).
    new LanguageSupport(typescriptLanguage),
    theme,
    // tabindex: contenteditable is focusable anyway; saying so lets checkers see the scroller is keyboard-reachable.
    EditorView.contentAttributes.of({ 'aria-label': o.label, tabindex: '0' }),
    EditorState.tabSize.of(2),
  ];
  const keys = [];
  if (o.onRun) {
    const run = o.onRun;
    keys.push({ key: 'Mod-Enter', run: () => (run(), true), preventDefault: true });
  }
  if (o.readOnly) {
    extensions.push(EditorState.readOnly.of(true));
  } else {
    extensions.push(history(), indentOnInput(), highlightActiveLine());
    keys.push(...historyKeymap);
  }
  keys.push(
    { key: 'Mod-]', run: indentMore },
    { key: 'Mod-[', run: indentLess },
    { key: 'Mod-/', run: toggleComment },
    ...standardKeymap,
  );
  extensions.push(keymap.of(keys));
  if (o.onChange) {
    const onChange = o.onChange;
    extensions.push(EditorView.updateListener.of((u) => u.docChanged && onChange(u.state.doc.toString())));
  }
  return new EditorView({ state: EditorState.create({ doc: o.doc, extensions }), parent: o.parent });
}

/** Replace the whole document as one undoable change (so a reset can be undone). */
export function replaceDoc(view: EditorView, text: string): void {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: 'input.replace', scrollIntoView: true });
}

/** Put the cursor at a 1-based line and column, scroll there and focus the editor. */
export function goTo(view: EditorView, line: number, column = 1): void {
  const doc = view.state.doc;
  const l = doc.line(Math.min(Math.max(1, line), doc.lines));
  const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
  view.dispatch({ selection: EditorSelection.cursor(pos), effects: EditorView.scrollIntoView(pos, { y: 'center' }) });
  view.focus();
}

export { undo, redo, undoDepth };
export type { EditorView };

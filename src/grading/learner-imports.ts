/**
 * What a learner's file may import, one rule for every engine: the lab's provided files
 * (lab.yaml `files:`) and, in a runtime: node lab, the Node built-ins it lists (`builtins:`);
 * nothing else. The reference by any path, the tests, the kit, other labs,
 * the test framework and every package are refused before the code runs, with the line of the
 * import. A provided file may itself use the kit or a bundled package; the learner reaches
 * those only through it.
 *
 * The check reads the source with a small lexer (comments, strings, templates and regular
 * expressions are skipped, escapes in strings and names decoded), so `'..\x2freference'` or a
 * specifier inside a comment neither slips through nor trips it. It resolves each specifier
 * the way the engines do and compares the target, not the text. An `import()` of a computed
 * string and any use of `require` are refused outright. The engines enforce the same rule again
 * when a module is loaded (harness/modules.ts, engines/vitest/child-fs.ts), for code that builds
 * an import at run time. Browser-safe: no Node imports.
 */
import { LEARNER_FILE } from './lab-files.ts';
import { joinPath } from './harness/modules.ts';

/** The wording of a refusal at load time (the harness's loader, the CLI's resolveId plugin). */
export function refusedAtLoad(spec: string): string {
  return `${LEARNER_FILE} may not import "${spec}": a solution may import only the lab's provided files`;
}

/** The provided file (a name from `files:`) a learner's specifier names, or null. */
export function providedTarget(spec: string, provided: readonly string[]): string | null {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null; // bare, absolute, URL, node:
  // Resolved as if from the lab folder (where the page and the harness put the learner's file).
  const parts = joinPath('labs/chapter/lab', spec).split('/');
  if (parts.length !== 4 || parts.slice(0, 3).join('/') !== 'labs/chapter/lab') return null;
  const name = parts[3]!;
  const candidates = [name, `${name}.ts`, name.replace(/\.m?js$/, '.ts')];
  return provided.find((f) => candidates.includes(f)) ?? null;
}

/**
 * The `node:` name of a built-in the lab lists (`builtins:` of a runtime: node lab), written with
 * or without its prefix, or null.
 */
export function allowedBuiltin(spec: string, builtins: readonly string[]): string | null {
  const name = spec.startsWith('node:') ? spec : `node:${spec}`;
  return builtins.includes(name) ? name : null;
}

/** "learner.ts:3:1: imports "../reference": …" for the first import the rule refuses, or null. */
export function refusedImport(
  source: string,
  provided: readonly string[],
  fileName = LEARNER_FILE,
  builtins: readonly string[] = [],
): string | null {
  const toks = lex(source);
  const where = (at: number): string => {
    const before = source.slice(0, at);
    return `${fileName}:${before.split('\n').length}:${at - before.lastIndexOf('\n')}`;
  };
  const names = [...provided.map((f) => `./${f.replace(/\.ts$/, '')}`), ...builtins];
  const allowed = names.length ? names.join(', ') : 'none in this lab';
  const permitted = (spec: string): boolean => providedTarget(spec, provided) !== null || allowedBuiltin(spec, builtins) !== null;
  const refuse = (at: number, spec: string): string =>
    `${where(at)}: imports "${spec}": a solution may import only the lab's provided files (${allowed})`;
  let typeOnly = false; // inside `import type … from` / `export type … from`: erased, never loaded
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const prev = toks[i - 1];
    const next = toks[i + 1];
    if (t.kind === 'punct' && t.text === ';') typeOnly = false;
    if (t.kind !== 'word' || (prev?.kind === 'punct' && (prev.text === '.' || prev.text === '?.'))) continue;
    if ((t.text === 'import' || t.text === 'export') && next?.kind === 'word' && next.text === 'type') {
      const after = toks[i + 2];
      // `import type X from`, `import type { X } from`, `export type * from`; not `import type = …`
      if (after && (after.kind === 'word' || after.text === '{' || after.text === '*')) typeOnly = true;
    }
    if (t.text === 'require') {
      return `${where(t.at)}: uses require: a solution imports with import statements, and only the lab's provided files (${allowed})`;
    }
    if (t.text === 'import' && next?.kind === 'punct' && next.text === '(') {
      const spec = toks[i + 2];
      const close = toks[i + 3];
      if (spec?.kind !== 'string' || !close || (close.text !== ')' && close.text !== ',')) {
        return `${where(t.at)}: import() of a computed specifier: a solution may import only the lab's provided files (${allowed}), named in the source`;
      }
      if (!permitted(spec.value!)) return refuse(t.at, spec.value!);
      continue;
    }
    const isSpecifier = (t.text === 'import' || t.text === 'from') && next?.kind === 'string';
    if (!isSpecifier) continue;
    if (t.text === 'from' && typeOnly) { typeOnly = false; continue; }
    if (!permitted(next.value!)) return refuse(statementStart(toks, i), next.value!);
  }
  return null;
}

/** Where the import or export statement holding token i begins (for the reported column). */
function statementStart(toks: Token[], i: number): number {
  for (let j = i; j >= 0; j--) {
    const t = toks[j]!;
    if (t.kind === 'word' && (t.text === 'import' || t.text === 'export')) return t.at;
    if (t.kind === 'punct' && t.text === ';') break;
  }
  return toks[i]!.at;
}

// ---------------------------------------------------------------------------------------------
// A lexer just good enough to find imports: words, string values, punctuation; the rest skipped.

interface Token {
  kind: 'word' | 'string' | 'template' | 'punct';
  text: string;
  /** A string's (or a substitution-free template's) decoded value. */
  value?: string;
  at: number;
}

/** Words after which a `/` starts a regular expression, not a division. */
const BEFORE_REGEX = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function lex(src: string): Token[] {
  const out: Token[] = [];
  lexFrom(src, 0, out, false);
  return out;
}

/** Lex from `i`; when `inSubstitution`, stop after the `}` that closes a template's `${`. */
function lexFrom(src: string, i: number, out: Token[], inSubstitution: boolean): number {
  let depth = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '/' && src[i + 1] === '/') { while (i < src.length && src[i] !== '\n') i++; continue; }
    if (c === '/' && src[i + 1] === '*') { const end = src.indexOf('*/', i + 2); i = end < 0 ? src.length : end + 2; continue; }
    if (c === '"' || c === "'") { i = readString(src, i, out); continue; }
    if (c === '`') { i = readTemplate(src, i, out); continue; }
    if (/[\p{ID_Start}$_\\]/u.test(c)) {
      const m = /^(?:[\p{ID_Continue}$_\u200c\u200d]|\\u[0-9a-fA-F]{4}|\\u\{[0-9a-fA-F]+\})+/u.exec(src.slice(i, i + 256));
      const raw = m ? m[0] : c;
      out.push({ kind: 'word', text: decodeEscapes(raw), at: i });
      i += raw.length;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^[0-9a-zA-Z_.]+/.exec(src.slice(i, i + 64))!;
      out.push({ kind: 'punct', text: '0', at: i });
      i += m[0].length;
      continue;
    }
    if (c === '/' && regexMayStart(out[out.length - 1])) { i = skipRegex(src, i); out.push({ kind: 'punct', text: '/re/', at: i }); continue; }
    if (c === '?' && src[i + 1] === '.' && !/[0-9]/.test(src[i + 2] ?? '')) { out.push({ kind: 'punct', text: '?.', at: i }); i += 2; continue; }
    if (inSubstitution) {
      if (c === '{') depth++;
      if (c === '}') { if (depth === 0) return i + 1; depth--; }
    }
    out.push({ kind: 'punct', text: c, at: i });
    i++;
  }
  return i;
}

function regexMayStart(prev: Token | undefined): boolean {
  if (!prev) return true;
  if (prev.kind === 'word') return BEFORE_REGEX.has(prev.text);
  if (prev.kind === 'string' || prev.kind === 'template') return false;
  return !(prev.text === ')' || prev.text === ']' || prev.text === '}' || prev.text === '0' || prev.text === '/re/');
}

function skipRegex(src: string, i: number): number {
  let inClass = false;
  for (i++; i < src.length && src[i] !== '\n'; i++) {
    const c = src[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) { i++; break; }
  }
  while (i < src.length && /[a-z]/i.test(src[i]!)) i++;
  return i;
}

function readString(src: string, start: number, out: Token[]): number {
  const quote = src[start];
  let i = start + 1;
  while (i < src.length && src[i] !== quote && src[i] !== '\n') i += src[i] === '\\' ? 2 : 1;
  out.push({ kind: 'string', text: 'str', value: decodeEscapes(src.slice(start + 1, i)), at: start });
  return i + 1;
}

function readTemplate(src: string, start: number, out: Token[]): number {
  let i = start + 1;
  let computed = false;
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\') { i += 2; continue; }
    if (src[i] === '$' && src[i + 1] === '{') {
      computed = true;
      const inner: Token[] = [];
      i = lexFrom(src, i + 2, inner, true);
      out.push(...inner); // an import inside a substitution is still an import
      continue;
    }
    i++;
  }
  const token: Token = { kind: computed ? 'template' : 'string', text: 'tpl', at: start };
  if (!computed) token.value = decodeEscapes(src.slice(start + 1, i));
  out.push(token);
  return i + 1;
}

/** A string literal's (or an identifier's) escapes, decoded as the language does. */
function decodeEscapes(raw: string): string {
  return raw.replace(/\\(u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|([0-7]{1,3})|\r\n|[\s\S])/g,
    (_m, all: string, cp?: string, u4?: string, x2?: string, oct?: string) => {
      if (cp) return String.fromCodePoint(parseInt(cp, 16));
      if (u4) return String.fromCharCode(parseInt(u4, 16));
      if (x2) return String.fromCharCode(parseInt(x2, 16));
      if (oct) return String.fromCharCode(parseInt(oct, 8));
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '\n': '', '\r\n': '' };
      return simple[all] ?? all;
    });
}

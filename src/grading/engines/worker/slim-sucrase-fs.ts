/**
 * A build-time Vite plugin (for the grading worker's bundle only) that leaves out the parts of
 * sucrase the harness never uses: Flow, JSX and React transforms, the ESM output, the ES
 * down-levelling transforms (we pass disableESTransforms), source maps, and the run-time
 * validation of options (ts-interface-checker; our options are fixed). About a tenth of the
 * worker. Each left-out module is replaced by stubs generated from its own exports, which throw
 * if ever called, so a sucrase upgrade that starts using one fails loudly in the browser test.
 *
 * astro.config.mjs: vite: { worker: { plugins: () => [slimSucrase()] } }
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'vite';

const LEFT_OUT = new Set([
  'computeSourceMap.js',
  'parser/plugins/flow.js',
  'parser/plugins/jsx/index.js',
  'parser/plugins/jsx/xhtml.js',
  'transformers/ESMImportTransformer.js',
  'transformers/FlowTransformer.js',
  'transformers/JSXTransformer.js',
  'transformers/JestHoistTransformer.js',
  'transformers/NumericSeparatorTransformer.js',
  'transformers/OptionalCatchBindingTransformer.js',
  'transformers/OptionalChainingNullishTransformer.js',
  'transformers/ReactDisplayNameTransformer.js',
  'transformers/ReactHotLoaderTransformer.js',
]);

const SUCRASE_ESM = /[\\/]node_modules[\\/]sucrase[\\/]dist[\\/]esm[\\/](.+)$/;

export function slimSucrase(): Plugin {
  return {
    name: 'netlabs:slim-sucrase',
    enforce: 'pre',
    async load(id) {
      const match = SUCRASE_ESM.exec(id.split('?')[0]!);
      if (!match) return null;
      const file = match[1]!.replaceAll('\\', '/');
      if (file === 'Options.js') return 'export function validateOptions() {}\n';
      if (!LEFT_OUT.has(file)) return null;
      return stubsFor(await readFile(id.split('?')[0]!, 'utf8'), file);
    },
  };
}

/** The same exports as `source`, each a stub that throws when used. */
export function stubsFor(source: string, file: string): string {
  const fail = `throw new Error(${JSON.stringify(`sucrase: ${file} is left out of the grading worker`)});`;
  const lines: string[] = [];
  for (const m of source.matchAll(/^export function (\w+)/gm)) lines.push(`export function ${m[1]}() { ${fail} }`);
  for (const m of source.matchAll(/^export (?:const|let|var) (\w+)/gm)) lines.push(`export const ${m[1]} = undefined;`);
  if (/^export default class\b/m.test(source)) lines.push(`export default class { constructor() { ${fail} } }`);
  else if (/^export default function\b/m.test(source)) lines.push(`export default function () { ${fail} }`);
  else if (/^export default /m.test(source)) lines.push('export default undefined;');
  return `${lines.join('\n')}\n`;
}

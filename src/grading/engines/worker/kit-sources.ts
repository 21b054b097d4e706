/**
 * The lab kit's sources, bundled as text: the harness transpiles them like any lab file, so
 * the worker runs the very kit vitest runs. Vite-only (import.meta.glob).
 */
const modules = import.meta.glob<string>('../../../../labs/kit/*.ts', { query: '?raw', import: 'default', eager: true });

export const KIT_SOURCES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules).map(([path, source]) => [path.slice(path.lastIndexOf('/') + 1), source]),
);

/**
 * WCAG 1.4.11: the focus ring (`--focus`) must stand out at 3:1 from every surface it can be
 * drawn on, in the light theme and the dark one: the page, its panels and note boxes, the code
 * frames (the site's shiki themes), the editor, and the report's coloured rows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const CSS = [read('src/styles/global.css'), read('src/workbench/workbench.css')];

/** Custom properties of the first `:root {…}` block (light) and of the dark `:root` block. */
function themeVars(css: string): { light: Record<string, string>; dark: Record<string, string> } {
  const block = (text: string): Record<string, string> =>
    Object.fromEntries([...text.matchAll(/(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
  const light = css.match(/^:root\s*{([^}]*)}/m)?.[1] ?? '';
  const dark = css.match(/@media \(prefers-color-scheme: dark\)\s*{\s*:root\s*{([^}]*)}/)?.[1] ?? '';
  return { light: block(light), dark: block(dark) };
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Where a focusable thing can sit. */
const SURFACES = ['--bg', '--surface', '--surface-strong', '--note-bg', '--mark', '--cm-bg', '--cm-gutter-bg', '--wb-pass-bg', '--wb-fail-bg', '--wb-warn-bg', '--wb-exp-bg', '--wb-got-bg'];
/** The code frames' backgrounds: shiki's github-light-default and github-dark-default. */
const CODE_FRAMES = { light: '#ffffff', dark: '#0d1117' };

describe('the focus ring against every surface (WCAG 1.4.11, 3:1)', () => {
  const vars = { light: {} as Record<string, string>, dark: {} as Record<string, string> };
  for (const css of CSS) {
    const v = themeVars(css);
    Object.assign(vars.light, v.light);
    Object.assign(vars.dark, v.dark);
  }

  it('computes WCAG contrast as the standard does', () => {
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`${theme}: every surface is defined and the ring is at least 3:1 on each`, () => {
      const focus = vars[theme]['--focus'];
      expect(focus, `--focus in the ${theme} theme`).toMatch(/^#[0-9a-f]{6}$/);
      const rows = [...SURFACES.map((name) => [name, vars[theme][name]] as const), ['code frame', CODE_FRAMES[theme]] as const];
      const missing = rows.filter(([, colour]) => colour === undefined).map(([name]) => name);
      expect(missing, `surfaces without a colour in the ${theme} theme`).toEqual([]);
      const low = rows
        .map(([name, colour]) => ({ name, ratio: Number(contrast(focus!, colour!).toFixed(2)) }))
        .filter((r) => r.ratio < 3);
      expect(low).toEqual([]);
    });
  }
});

/**
 * Our result in the forms other graders read: Exercism's results.json v3, GitHub Classroom's
 * runner result, Gradescope's results.json. Each module cites its spec; schemas/ holds a JSON
 * Schema of each written from those specs, which the unit tests validate every output against.
 */
import type { GradeResult } from '../result.ts';
import { toClassroom } from './classroom.ts';
import type { FormatContext } from './context.ts';
import { toExercism } from './exercism.ts';
import { toGradescope, type GradescopeOptions } from './gradescope.ts';

export const FORMATS = ['exercism', 'classroom', 'gradescope'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(name: string): name is Format {
  return (FORMATS as readonly string[]).includes(name);
}

export function toFormat(format: Format, result: GradeResult, ctx: FormatContext, opts: GradescopeOptions = {}): unknown {
  switch (format) {
    case 'exercism': return toExercism(result, ctx);
    case 'classroom': return toClassroom(result, ctx);
    case 'gradescope': return toGradescope(result, ctx, opts);
  }
}

export { testLocator, type FormatContext } from './context.ts';

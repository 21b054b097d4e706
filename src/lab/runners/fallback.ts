/**
 * Prefer one engine, fall back to another when the first cannot run on this page at all
 * (EngineUnavailableError), and say why once. A failing run is a result, not a reason to switch.
 */
import { EngineUnavailableError, type LabRunner } from './types.ts';

export function withFallback(primary: LabRunner, fallback: () => LabRunner, onFallback: (reason: string) => void): LabRunner {
  let backup: LabRunner | undefined;
  const use = (reason?: string): LabRunner => {
    if (!backup) {
      backup = fallback();
      if (reason !== undefined) onFallback(reason);
    }
    return backup;
  };
  return {
    get engine() {
      return backup ? backup.engine : primary.engine;
    },
    async grade(files, lab, options) {
      if (backup) return backup.grade(files, lab, options);
      try {
        return await primary.grade(files, lab, options);
      } catch (e) {
        if (!(e instanceof EngineUnavailableError)) throw e;
        return use(e.message).grade(files, lab, options);
      }
    },
    cancel() {
      (backup ?? primary).cancel?.();
    },
    dispose() {
      primary.dispose();
      backup?.dispose();
    },
  };
}

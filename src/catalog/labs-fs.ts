/**
 * The labs as the site sees them: read from labs/<chapter>/<lab>/lab.yaml at build time.
 */
import { loadAllLabs, type Lab } from './catalog-fs.ts';

export type { Lab };

/** Every lab, by id. Read afresh on each call so `astro dev` sees edited lab.yaml files. */
export function labsById(): Map<string, Lab> {
  return new Map(loadAllLabs().map((lab) => [lab.meta.id, lab]));
}

/** The lab with this id; an unknown id fails the build, naming the ids that exist. */
export function getLab(id: string, where = 'LabCard'): Lab {
  const labs = labsById();
  const lab = labs.get(id);
  if (!lab) {
    const known = [...labs.keys()].sort().join(', ') || 'none';
    throw new Error(`${where}: unknown lab id "${id}": there is no labs/${id}/lab.yaml (known labs: ${known})`);
  }
  return lab;
}

export const DIFFICULTY_LABEL = { intro: 'Introductory', core: 'Core', stretch: 'Stretch' } as const;

export function totalPoints(lab: Lab): number {
  return lab.meta.tasks.reduce((sum, t) => sum + t.points, 0);
}

/** The anchor of a lab's card on its chapter page. */
export const labAnchor = (id: string) => `lab-${id.replace(/[^a-z0-9]+/g, '-')}`;

/** "about 45 minutes", "about 2.5 hours" */
export function formatMinutes(minutes: number): string {
  if (minutes < 90) return `about ${minutes} minutes`;
  const hours = Math.round((minutes / 60) * 2) / 2;
  return `about ${hours} hours`;
}

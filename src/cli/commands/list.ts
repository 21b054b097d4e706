import { loadAllLabs } from '../../catalog/catalog-fs.ts';

export function list(): number {
  const labs = loadAllLabs();
  if (labs.length === 0) {
    console.log('No labs yet. Create one with: npm run lab -- new <chapter>/<slug>');
    return 0;
  }
  const width = Math.max(...labs.map((l) => l.meta.id.length));
  for (const { meta } of labs) {
    const points = meta.tasks.reduce((a, t) => a + t.points, 0);
    const runtime = meta.runtime === 'node' ? '  [needs Node]' : '';
    console.log(`${meta.id.padEnd(width)}  ${meta.title} — ${meta.tasks.length} tasks, ${points} pts, ~${meta.minutes} min, ${meta.difficulty}${runtime}`);
  }
  return 0;
}

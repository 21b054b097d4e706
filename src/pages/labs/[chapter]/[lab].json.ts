/**
 * /labs/<chapter>/<lab>.json: everything the workbench needs to open a lab (metadata, the
 * starter, the tests, the reference, extra files, instructions and hints as HTML), written
 * once at build time. The workbench fetches it when the learner presses "Open lab".
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { loadAllLabs, type Lab } from '../../../catalog/catalog-fs.ts';
import { buildLabData } from '../../../catalog/lab-data-fs.ts';

export const getStaticPaths = (() =>
  loadAllLabs().map((lab) => {
    const [chapter, slug] = lab.meta.id.split('/') as [string, string];
    return { params: { chapter, lab: slug }, props: { lab } };
  })) satisfies GetStaticPaths;

export const GET: APIRoute<{ lab: Lab }> = async ({ props }) => {
  const data = await buildLabData(props.lab);
  return new Response(JSON.stringify(data), { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
};

/** Export and import of progress (with saved code) from the home page's progress panel. */
import { LabStorage, downloadText, pickTextFile } from './storage.ts';

export async function progressAction(action: string, host: HTMLElement): Promise<void> {
  const out = host.querySelector('[data-msg]');
  const say = (text: string): void => {
    if (out) out.textContent = text;
  };
  const storage = new LabStorage();
  if (action === 'export') {
    const file = storage.exportAll();
    const labs = Object.keys(file.progress).length;
    downloadText(`netlabs-progress-${file.exported_at.slice(0, 10)}.json`, JSON.stringify(file, null, 2), 'application/json');
    say(`Exported the progress of ${labs} lab${labs === 1 ? '' : 's'} and ${Object.keys(file.work).length} saved file(s).`);
    return;
  }
  if (action !== 'import') return;
  const file = await pickTextFile('.json,application/json');
  if (!file) return;
  try {
    const { progress, work } = storage.importAll(JSON.parse(file.text));
    dispatchEvent(new CustomEvent('netlabs:progress'));
    say(`Imported ${file.name}: ${progress} lab score(s) and ${work} saved file(s) were newer or better than this browser's.`);
  } catch (e) {
    say(`Could not import ${file.name}: ${e instanceof SyntaxError ? 'it is not JSON' : (e as Error).message}`);
  }
}

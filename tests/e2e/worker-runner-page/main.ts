// A bare page for the worker runner's browser test: the runner, bundled by Vite as the site
// bundles it, exposed to the test through window.netlabsTest.
import { createWorkerRunner } from '../../../src/grading/engines/worker/runner.ts';
import harnessScriptUrl from '../../../src/grading/engines/webcontainer/harness-main.ts?worker&url';

const runner = createWorkerRunner();
Object.assign(window, { netlabsTest: { runner, harnessScriptUrl } });
document.body.dataset.ready = 'yes';

import { parentPort, workerData } from 'node:worker_threads';
import { gradeWithHarness } from './harness-fs.ts';

const { labDir, learnerPath } = workerData as { labDir: string; learnerPath: string };
parentPort!.postMessage(await gradeWithHarness(labDir, learnerPath));

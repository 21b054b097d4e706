import { parentPort, workerData } from 'node:worker_threads';
import { gradeWithHarness } from '../../lab/harness/node.ts';

const { labDir, learnerPath } = workerData as { labDir: string; learnerPath: string };
parentPort!.postMessage(await gradeWithHarness(labDir, learnerPath));

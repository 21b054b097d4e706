/**
 * The live run as a script for node inside a WebContainer, bundled into one file like the
 * harness (nothing is installed in the container):
 *   node live.mjs <lab dir> <lab id>
 * runs the learner's client in <lab dir>/learner.ts against the lab's reference server on
 * 127.0.0.1 inside the container and prints the exchange to the terminal.
 */
import { liveInContainer } from '../../../live/container.ts';

type Fs = typeof import('node:fs');
type Net = typeof import('node:net');

// Named at run time so the bundler leaves Node's own modules alone.
const FS_MODULE = ['node', 'fs'].join(':');
const NET_MODULE = ['node', 'net'].join(':');

async function main(): Promise<void> {
  const [labDir, labId] = process.argv.slice(2);
  if (!labDir || !labId) {
    console.error('usage: node live.mjs <lab dir> <lab id>');
    process.exitCode = 2;
    return;
  }
  const fs = (await import(/* @vite-ignore */ FS_MODULE)) as Fs;
  const net = (await import(/* @vite-ignore */ NET_MODULE)) as Net;
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(labDir)) {
    if (name.endsWith('.ts')) files[name] = fs.readFileSync(`${labDir}/${name}`, 'utf8');
  }
  const outcome = await liveInContainer({ labId, files, net, print: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write('(A live run is not a grade: Run gives the marks.)\n', () => process.exit(outcome.ok ? 0 : 1));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

/**
 * The part of @webcontainer/api this engine uses, as types taken from the real API: a test
 * double implements exactly this, and stops compiling if the API changes under it.
 */
import type { FileSystemAPI, FileSystemTree, SpawnOptions, WebContainer, WebContainerProcess } from '@webcontainer/api';

export type ContainerFs = Pick<FileSystemAPI, 'readFile' | 'rm'>;

export interface Container {
  fs: ContainerFs;
  mount: WebContainer['mount'];
  spawn(command: string, args: string[], options?: SpawnOptions): Promise<WebContainerProcess>;
  teardown: WebContainer['teardown'];
}

export type { FileSystemTree, WebContainerProcess };

/** Where terminal output goes: xterm's Terminal fits, so does a test's string buffer. */
export interface TerminalSink {
  write(data: string): void;
}

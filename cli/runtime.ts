import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentError } from '../config/AgentError.js';

/** What `y2c up` is running, so other commands in other terminals can reach it. */
export type Runtime = {
  pid: number;
  rpcUrl: string;
  bundlerUrl?: string | undefined;
  providerUrl?: string | undefined;
  chatUrl?: string | undefined;
  startedAt: string;
};

const file = (dataDir: string) => join(dataDir, 'runtime.json');

/** Records the running world in `dataDir/runtime.json`. */
export function writeRuntime(dataDir: string, runtime: Runtime): void {
  writeFileSync(file(dataDir), `${JSON.stringify(runtime, null, 2)}\n`);
}

/** Forgets the running world (on stop). */
export function clearRuntime(dataDir: string): void {
  rmSync(file(dataDir), { force: true });
}

/** Nothing is running where a command expected `y2c up`. */
export class NotRunningError extends AgentError {
  override name = 'NotRunningError' as const;
}

/**
 * The running world written by `y2c up`, if its process is still alive.
 *
 * @param dataDir The data folder.
 * @returns The runtime, or throws NotRunningError with how to start it.
 */
export function readRuntime(dataDir: string): Runtime {
  const path = file(dataDir);
  if (existsSync(path)) {
    const runtime = JSON.parse(readFileSync(path, 'utf8')) as Runtime;
    try {
      process.kill(runtime.pid, 0);
      return runtime;
    } catch {
      // The process that wrote it is gone: the file is stale.
    }
  }
  throw new NotRunningError('The local devnet is not running.', {
    details: 'Start it in another terminal with `npm start` (or `npx y2c up`), or set chain.rpcUrl in y2c.config.json.',
  });
}

import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentError } from '../core/AgentError.js';

/** What `y2c up` is running, so other commands in other terminals can reach it. */
export type Runtime = {
  pid: number;
  /** Child services (anvil, the bundler) to reap if `pid` died without stopping them. */
  children?: number[] | undefined;
  rpcUrl: string;
  bundlerUrl?: string | undefined;
  providerUrl?: string | undefined;
  chatUrl?: string | undefined;
  healthUrl?: string | undefined;
  startedAt: string;
};

const file = (dataDir: string) => join(dataDir, 'runtime.json');

/** Records the running world in `dataDir/runtime.json`. */
export function writeRuntime(dataDir: string, runtime: Runtime): void {
  writeFileSync(file(dataDir), `${JSON.stringify(runtime, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file(dataDir), 0o600);
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

/** Whether a process is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Before `y2c up` starts: refuses if another `up` is running on the same data folder, and stops the
 * child services (anvil, the bundler) of one that was killed without stopping them — an orphaned
 * anvil would keep dumping its state into the same file as the new one.
 *
 * @param dataDir The data folder.
 * @returns The pids it stopped.
 */
export async function reapStaleRuntime(dataDir: string): Promise<number[]> {
  const path = file(dataDir);
  if (!existsSync(path)) return [];
  const runtime = JSON.parse(readFileSync(path, 'utf8')) as Runtime;
  if (runtime.pid !== process.pid && alive(runtime.pid)) {
    throw new AgentError(`y2c is already running on ${dataDir} (pid ${runtime.pid}).`, {
      details: 'Stop it with Ctrl-C in its terminal (or `kill ' + String(runtime.pid) + '`), or use another data folder (Y2C_DATA_DIR).',
    });
  }
  const stopped: number[] = [];
  for (const pid of runtime.children ?? []) {
    if (!alive(pid)) continue;
    process.kill(pid, 'SIGTERM');
    stopped.push(pid);
  }
  for (let i = 0; i < 50 && stopped.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
  for (const pid of stopped.filter(alive)) process.kill(pid, 'SIGKILL');
  rmSync(path, { force: true });
  return stopped;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { AgentError } from '../core/AgentError.js';
import { waitFor } from './waitFor.js';

/** Parameters of {@link spawnService}. */
export type SpawnServiceParameters = {
  /** Name for messages ("anvil", "bundler"). */
  name: string;
  /** Executable. */
  command: string;
  /** Arguments. */
  args: readonly string[];
  /** Resolves truthy once the service answers. */
  ready: () => Promise<boolean>;
  /** Give up after this many milliseconds (default 30 s). */
  timeoutMs?: number;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Called with every output line (logs). */
  onLine?: (line: string) => void;
};

/** A running child service. */
export type Service = {
  /** The child process. */
  process: ChildProcess;
  /** Last lines the service printed (for error messages). */
  tail: () => string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process has exited. */
  stop: (graceMs?: number) => Promise<void>;
  /** Resolves once the process has exited, for whatever reason, with how (`exited with SIGKILL`). */
  exited: Promise<string>;
};

/**
 * Spawns a long-lived child process, waits until it is ready, and returns a handle to stop it.
 * Output is kept in a small ring for error messages; the child dies with a clear error if it exits
 * before it is ready.
 *
 * @param parameters What to run and how to know it is ready.
 * @returns The running service.
 */
export async function spawnService(parameters: SpawnServiceParameters): Promise<Service> {
  const { name, command, args, ready, timeoutMs = 30_000, env, onLine } = parameters;
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: env ? { ...process.env, ...env } : process.env,
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
      onLine?.(line);
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exit: string | undefined;
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
    child.once('error', (error) => {
      spawnError = error;
      exit = `could not be started: ${error.message}`;
      resolve();
    });
  });
  const tail = () => lines.join('\n');
  const stop = async (graceMs = 5_000) => {
    if (exit) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(() => ready(), { what: name, timeoutMs, abort: () => exit });
  } catch (error) {
    await stop(1_000);
    throw new AgentError(`${name} did not start.`, { cause: spawnError ?? error, details: tail() || undefined });
  }
  return { process: child, tail, stop, exited: exited.then(() => exit ?? 'exited') };
}

import { AgentError } from './AgentError.js';

/** Parameters of {@link createLifecycle}. */
export type CreateLifecycleParameters = {
  /** Told of each part as it stops (`stopping agent`), for progress lines. */
  onStop?: (name: string) => void;
  /** A part whose stop threw: the rest still stop (default: ignored). */
  onStopError?: (name: string, error: unknown) => void;
};

/** How a lifecycle ended: `reason` is set when a part crashed or a start failed. */
export type LifecycleEnd = { reason?: unknown };

/** The parts of a running thing, started in order and stopped in reverse. */
export type Lifecycle = {
  /**
   * Starts a part and records how to stop it. When the lifecycle is already stopping (another
   * part failed meanwhile), what this started is stopped at once and the start rejects.
   */
  start: <T>(name: string, start: () => Promise<T> | T, stop: (started: T) => unknown) => Promise<T>;
  /** Records a part started elsewhere (stopped in reverse with the others). */
  add: (name: string, stop: () => unknown) => void;
  /**
   * Runs the steps that start the parts; if they throw, every part started so far stops (in
   * reverse) and the error is rethrown: a failed start leaves nothing running.
   */
  run: <T>(steps: () => Promise<T>) => Promise<T>;
  /** Stops every part once, in reverse order of start; idempotent. `reason`: why (a crash). */
  stop: (reason?: unknown) => Promise<void>;
  /** Resolves once every part has stopped. */
  stopped: Promise<LifecycleEnd>;
  /** `running` until `stop` is called. */
  state: () => 'running' | 'stopping' | 'stopped';
  /** Names of the parts running now, in start order. */
  parts: () => string[];
};

/** A part was started while the lifecycle was stopping. */
export class LifecycleStoppingError extends AgentError {
  override name = 'LifecycleStoppingError' as const;
}

/**
 * One lifecycle for `y2c up`, `y2c start`, `y2c provider start`, the daemon and the benches: parts
 * start in order, stop in reverse, a failed start unwinds what started, and a stop while parts are
 * still starting stops them as they arrive. It never installs signal handlers nor exits the
 * process: only `cli/` does (cli/runUntilSignal.ts).
 *
 * @param parameters Progress and error reporting.
 * @returns The lifecycle.
 * @example
 * const life = createLifecycle({ onStop: (name) => log(`stopping ${name}`) });
 * await life.run(async () => {
 *   const anvil = await life.start('anvil', () => startAnvil(), (a) => a.stop());
 *   await life.start('agent', () => startAgent(config, { connection }), (a) => a.stop());
 * });
 * await life.stop();
 */
export function createLifecycle(parameters: CreateLifecycleParameters = {}): Lifecycle {
  const { onStop = () => {}, onStopError = () => {} } = parameters;
  const running: { name: string; stop: () => unknown }[] = [];
  let state: 'running' | 'stopping' | 'stopped' = 'running';
  let stopping: Promise<void> | undefined;
  let resolveStopped!: (end: LifecycleEnd) => void;
  const stopped = new Promise<LifecycleEnd>((resolve) => (resolveStopped = resolve));

  const stopOne = async (part: { name: string; stop: () => unknown }) => {
    onStop(part.name);
    try {
      await part.stop();
    } catch (error) {
      onStopError(part.name, error);
    }
  };
  const stop = (reason?: unknown) =>
    (stopping ??= (async () => {
      state = 'stopping';
      // Parts added while stopping are stopped by `add` itself; this drains what is there.
      for (let part = running.pop(); part; part = running.pop()) await stopOne(part);
      state = 'stopped';
      resolveStopped(reason === undefined ? {} : { reason });
    })());
  const add = (name: string, stopPart: () => unknown) => {
    const part = { name, stop: stopPart };
    if (state === 'running') running.push(part);
    else void stopOne(part);
  };
  return {
    start: async (name, start, stopPart) => {
      const started = await start();
      if (state !== 'running') {
        await stopOne({ name, stop: () => stopPart(started) });
        throw new LifecycleStoppingError(`${name} started while stopping; stopped it again`);
      }
      running.push({ name, stop: () => stopPart(started) });
      return started;
    },
    add,
    run: async (steps) => {
      try {
        return await steps();
      } catch (error) {
        await stop(error);
        throw error;
      }
    },
    stop,
    stopped,
    state: () => state,
    parts: () => running.map((part) => part.name),
  };
}

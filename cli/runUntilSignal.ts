import { LifecycleStoppingError, type Lifecycle } from '../core/createLifecycle.js';

/** Parameters of {@link runUntilSignal}. */
export type RunUntilSignalParameters = {
  /** Name in crash messages (`y2c up`). */
  name: string;
  /** Progress line (e.g. `SIGTERM: stopping (send the signal again to force)`); stderr by default. */
  say?: (message: string) => void;
  /**
   * Exit the process once the lifecycle has stopped (default true). `false` returns instead, for a
   * caller that embeds the command (a test running `y2c start` in its own process).
   */
  exitOnStop?: boolean;
};

/**
 * The only place y2c installs signal handlers and exits the process. It runs `start` (the steps
 * that add parts to `lifecycle`), then keeps the process until the lifecycle stops: the first
 * SIGINT/SIGTERM stops it (every part in reverse), a second forces exit; an error nothing caught
 * stops it too (a half-dead part must not keep the others running). Exits 0 after a signal, 1 after
 * a crash (a part that stopped the lifecycle with a reason), 130 when a signal interrupted the
 * start. A start that fails has already stopped what it started (`lifecycle.run`); its error is
 * rethrown for the command line to print.
 *
 * @param lifecycle The parts.
 * @param parameters Name and progress output.
 * @param start Starts the parts.
 * @returns Never on success (the process exits once the lifecycle has stopped), unless `exitOnStop` is false.
 * @throws The start's error, after every started part has stopped.
 * @example await runUntilSignal(life, { name: 'y2c up' }, () => startEverything(life));
 */
export async function runUntilSignal(lifecycle: Lifecycle, parameters: RunUntilSignalParameters, start: () => Promise<unknown>): Promise<void> {
  const { name, say = (message) => process.stderr.write(`${message}\n`) } = parameters;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      process.stderr.write('second signal: exiting now\n');
      process.exit(130);
    }
    say(`${signal}: stopping (send the signal again to force)`);
    void lifecycle.stop();
  };
  const onCrash = (error: unknown) => {
    process.stderr.write(`${name}: a part crashed, stopping everything: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    void lifecycle.stop(error);
  };
  const handlers = [
    ['SIGINT', onSignal],
    ['SIGTERM', onSignal],
    ['uncaughtException', onCrash],
    ['unhandledRejection', onCrash],
  ] as const;
  for (const [event, handler] of handlers) process.on(event, handler);
  try {
    await lifecycle.run(start);
  } catch (error) {
    if (signals > 0 && (error instanceof LifecycleStoppingError || lifecycle.state() !== 'running')) process.exit(130);
    for (const [event, handler] of handlers) process.off(event, handler);
    throw error;
  }
  const end = await lifecycle.stopped;
  if (parameters.exitOnStop === false) {
    for (const [event, handler] of handlers) process.off(event, handler);
    if (end.reason !== undefined) throw end.reason;
    return;
  }
  process.exit(end.reason === undefined ? 0 : 1);
}

import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { Logger } from '../../core/Logger.js';
import { firstLine } from '../../core/firstLine.js';
import { nowMs } from '../../core/clock.js';

/** Parameters of {@link createSingleFlightJob}. */
export type CreateSingleFlightJobParameters = {
  /** Job name (job_runs.name). */
  name: string;
  /** The work of one tick; returns details to record. Aborted when the daemon stops hard. */
  run: (signal: AbortSignal) => Promise<Record<string, unknown> | void>;
  memory: Pick<OpenAgentMemoryReturnType, 'jobRuns'>;
  log: Logger;
  /**
   * Exponential backoff after failures: after the n-th failure in a row, ticks are declined for
   * `min(maxMs, baseMs × 2^(n−1))` (default 30 s doubling up to 15 min). A success resets it.
   */
  backoff?: { baseMs: number; maxMs: number };
  /** Clock (ms). */
  now?: () => number;
};

/** What a tick did: ran, was skipped (one already running), failed, or was declined while backing off. */
export type TickOutcome = 'ran' | 'skipped' | 'failed' | 'backoff';

/** A job that never runs twice at once. */
export type SingleFlightJob = {
  name: string;
  /** Runs once unless a tick is already running (then returns `skipped` at once). Never throws. */
  tick: () => Promise<TickOutcome>;
  /** True while a tick runs. */
  running: () => boolean;
  /** Resolves when the running tick (if any) has finished. */
  idle: () => Promise<void>;
  /** Aborts the running tick's signal. */
  abort: () => void;
  /** Failures in a row since the last success. */
  failures: () => number;
  /** Until when (unix ms) ticks are declined after failures; undefined when not backing off. */
  backoffUntil: () => number | undefined;
};

/**
 * Wraps a job so it is single-flight (a tick slower than its interval is never run twice at once:
 * the overlapping tick is skipped and logged) and catches its own errors: each run is recorded in
 * `job_runs` with its outcome, and the loop goes on. After a failure it backs off exponentially (a
 * tick in the window is declined with `backoff` and not recorded), so a dead RPC is not hammered every
 * tick; the first tick after the window runs, and a success resets the backoff.
 *
 * @param parameters Name, work, memory and log.
 * @returns The job.
 * @example const job = createSingleFlightJob({ name: 'treasury', run: () => runTreasury(context), memory, log }); await job.tick();
 */
export function createSingleFlightJob(parameters: CreateSingleFlightJobParameters): SingleFlightJob {
  const { name, run, memory, log } = parameters;
  const now = parameters.now ?? nowMs;
  const backoff = parameters.backoff ?? { baseMs: 30_000, maxMs: 900_000 };
  let current: Promise<TickOutcome> | undefined;
  let controller: AbortController | undefined;
  let failures = 0;
  let backoffUntil: number | undefined;
  const tick = (): Promise<TickOutcome> => {
    if (current) {
      log.warn('job skipped, previous tick still running', { job: name });
      return Promise.resolve('skipped');
    }
    if (backoffUntil !== undefined && now() < backoffUntil) {
      log.info('job backing off after failures', { job: name, failures, retryInMs: backoffUntil - now() });
      return Promise.resolve('backoff');
    }
    controller = new AbortController();
    const signal = controller.signal;
    current = (async (): Promise<TickOutcome> => {
      const id = memory.jobRuns.start(name);
      const started = Date.now();
      try {
        const details = (await run(signal)) ?? {};
        memory.jobRuns.finish(id, { ok: true, details });
        if (failures > 0) log.info('job recovered', { job: name, afterFailures: failures });
        failures = 0;
        backoffUntil = undefined;
        log.info('job done', { job: name, ms: Date.now() - started });
        return 'ran';
      } catch (error) {
        const message = firstLine(error);
        memory.jobRuns.finish(id, { ok: false, error: message });
        failures++;
        const delayMs = Math.min(backoff.maxMs, backoff.baseMs * 2 ** (failures - 1));
        backoffUntil = now() + delayMs;
        log.error('job failed', { job: name, error: message, failures, retryInMs: delayMs });
        return 'failed';
      }
    })().finally(() => {
      current = undefined;
      controller = undefined;
    });
    return current;
  };
  return {
    name,
    tick,
    running: () => current !== undefined,
    idle: async () => {
      await current;
    },
    abort: () => controller?.abort(),
    failures: () => failures,
    backoffUntil: () => backoffUntil,
  };
}

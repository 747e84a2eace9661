import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { Logger } from './Logger.js';

/** Parameters of {@link createSingleFlightJob}. */
export type CreateSingleFlightJobParameters = {
  /** Job name (job_runs.name). */
  name: string;
  /** The work of one tick; returns details to record. Aborted when the daemon stops hard. */
  run: (signal: AbortSignal) => Promise<Record<string, unknown> | void>;
  memory: Pick<OpenAgentMemoryReturnType, 'jobRuns'>;
  log: Logger;
};

/** What a tick did. */
export type TickOutcome = 'ran' | 'skipped' | 'failed';

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
};

/**
 * Wraps a job so it is single-flight (a tick slower than its interval is never run twice at once:
 * the overlapping tick is skipped and logged) and catches its own errors: each run is recorded in
 * `job_runs` with its outcome, and the loop goes on.
 *
 * @param parameters Name, work, memory and log.
 * @returns The job.
 * @example const job = createSingleFlightJob({ name: 'treasury', run: () => runTreasury(context), memory, log }); await job.tick();
 */
export function createSingleFlightJob(parameters: CreateSingleFlightJobParameters): SingleFlightJob {
  const { name, run, memory, log } = parameters;
  let current: Promise<TickOutcome> | undefined;
  let controller: AbortController | undefined;
  const tick = (): Promise<TickOutcome> => {
    if (current) {
      log.warn('job skipped, previous tick still running', { job: name });
      return Promise.resolve('skipped');
    }
    controller = new AbortController();
    const signal = controller.signal;
    current = (async (): Promise<TickOutcome> => {
      const id = memory.jobRuns.start(name);
      const started = Date.now();
      try {
        const details = (await run(signal)) ?? {};
        memory.jobRuns.finish(id, { ok: true, details });
        log.info('job done', { job: name, ms: Date.now() - started });
        return 'ran';
      } catch (error) {
        const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : String(error);
        memory.jobRuns.finish(id, { ok: false, error: message });
        log.error('job failed', { job: name, error: message });
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
  };
}

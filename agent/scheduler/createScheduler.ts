import { schedule, validate, type ScheduledTask } from 'node-cron';
import { AgentError } from '../../core/AgentError.js';
import type { Logger } from '../../core/Logger.js';
import type { SingleFlightJob } from './createSingleFlightJob.js';

/** A cron expression is not valid. */
export class ScheduleError extends AgentError {
  override name = 'ScheduleError' as const;
}

/** Parameters of {@link createScheduler}. */
export type CreateSchedulerParameters = {
  /** Each job with its cron expression (node-cron syntax, seconds optional). */
  jobs: readonly { job: SingleFlightJob; cron: string }[];
  log: Logger;
};

/** The scheduler. */
export type Scheduler = {
  /** Starts the cron tasks. */
  start: () => void;
  /** Stops the cron tasks and waits for the running ticks to finish. */
  stop: () => Promise<void>;
  /** True while any job runs. */
  busy: () => boolean;
  /** The jobs by name. */
  jobs: Record<string, SingleFlightJob>;
};

/**
 * Runs single-flight jobs on node-cron schedules. `stop()` stops new ticks and waits for the running
 * ones (the daemon's graceful shutdown).
 *
 * @param parameters Jobs and log.
 * @returns start, stop, busy.
 * @throws {ScheduleError} When an expression is invalid.
 * @example const scheduler = createScheduler({ jobs: [{ job: treasury, cron: '*\/5 * * * *' }], log }); scheduler.start();
 */
export function createScheduler(parameters: CreateSchedulerParameters): Scheduler {
  const { jobs, log } = parameters;
  for (const { job, cron } of jobs) {
    if (!validate(cron)) throw new ScheduleError(`The schedule "${cron}" of job ${job.name} is not a valid cron expression.`, { details: 'Fix agent.schedules in y2c.config.json.' });
  }
  let tasks: ScheduledTask[] = [];
  return {
    jobs: Object.fromEntries(jobs.map(({ job }) => [job.name, job])),
    start: () => {
      tasks = jobs.map(({ job, cron }) => schedule(cron, () => void job.tick(), { name: job.name }));
      log.info('scheduler started', { jobs: jobs.map(({ job, cron }) => `${job.name} ${cron}`) });
    },
    stop: async () => {
      await Promise.all(tasks.map((task) => task.destroy()));
      tasks = [];
      await Promise.all(jobs.map(({ job }) => job.idle()));
      log.info('scheduler stopped', {});
    },
    busy: () => jobs.some(({ job }) => job.running()),
  };
}

import { AgentError } from '../core/AgentError.js';

/** Parameters of {@link waitFor}. */
export type WaitForParameters = {
  /** What is being waited for, for the error message. */
  what: string;
  /** Give up after this many milliseconds. */
  timeoutMs?: number;
  /** Pause between attempts. */
  intervalMs?: number;
  /** Stop early when this returns a reason (e.g. the child process exited). */
  abort?: () => string | undefined;
};

/**
 * Polls `probe` until it resolves truthy, or throws after the timeout.
 *
 * @param probe Returns true (or a value) once ready; exceptions count as not ready.
 * @param parameters What, how long, how often.
 * @returns The probe's first truthy value.
 */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, parameters: WaitForParameters): Promise<T> {
  const { what, timeoutMs = 30_000, intervalMs = 50, abort } = parameters;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = abort?.();
    if (reason) throw new AgentError(`${what} failed to start: ${reason}`, { cause: lastError });
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new AgentError(`Timed out after ${timeoutMs} ms waiting for ${what}.`, { cause: lastError });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

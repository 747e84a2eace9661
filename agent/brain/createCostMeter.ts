import { AsyncLocalStorage } from 'node:async_hooks';
import type { Address } from 'viem';
import type { PaidCall, PayingStore } from '../../tools/compute/PayingStore.js';
import { ComputeBudgetExceededError } from './errors.js';

/** Parameters of {@link createCostMeter}. */
export type CreateCostMeterParameters = {
  /** The paying fetch's store; the meter hands out a wrapped one. */
  store: PayingStore;
  /**
   * Called after each paid call is recorded, with the member it was made for (undefined outside a
   * member's reply) and the call's duration in ms (from the start of the measured task or the end of
   * its previous call, so tool time between model turns is included). Both are also set on the call
   * the store records (`member`, `latencyMs`).
   */
  onCall?: (call: PaidCall, context: { member: Address | undefined; latencyMs: number | undefined }) => void;
};

/** What a measured task cost. */
export type MeasuredCost<T> = {
  result: T;
  /** Sum of the paid calls' costs (payment-token units), as the provider reported them. */
  cost: bigint;
  /** How many paid calls the task made. */
  calls: number;
};

/** What a measured task cost, whether it finished or failed. */
export type SettledCost<T> = ({ ok: true; result: T } | { ok: false; error: unknown }) & {
  /** Sum of the paid calls' costs, including calls that were cut off (aborted streams). */
  cost: bigint;
  calls: number;
};

/** Options of a measurement. */
export type MeasureOptions = {
  /** The member the task works for (passed to `onCall`). */
  member?: Address | undefined;
  /** The most the task may spend: a call whose maxCost would pass it (with the calls in flight) is refused. */
  budget?: bigint | undefined;
};

/** Return type of {@link createCostMeter}. */
export type CreateCostMeterReturnType = {
  /** The store to give the paying fetch: the same store, with calls also counted by the meter. */
  store: PayingStore;
  /** Runs `task` and returns what the paid calls made inside it cost. Tasks may run concurrently. */
  measure: <T>(task: () => Promise<T>, options?: MeasureOptions) => Promise<MeasuredCost<T>>;
  /** Like `measure`, but also settles when the task fails, with what its calls cost all the same. */
  measureSettled: <T>(task: () => Promise<T>, options?: MeasureOptions) => Promise<SettledCost<T>>;
};

type Tally = {
  member: Address | undefined;
  budget: bigint | undefined;
  cost: bigint;
  calls: number;
  lastAt: number;
  /** Calls opened and not yet recorded or cancelled, and the sum of their maxCost. */
  open: number;
  pending: bigint;
  idle: (() => void) | undefined;
};

/** How long a finished task waits for its cut-off calls to be settled before booking their maxCost. */
const settleTimeoutMs = 15_000;

/**
 * Attributes paid inference to the task that caused it. The paying fetch opens a ticket for every
 * call before signing (`openCall`), in the task's async context (`AsyncLocalStorage`); the call is
 * recorded through that ticket, so a stream cut off by an abort is still charged to the task that
 * made it, whatever context its end runs in. Concurrent replies (and the reflection job) are each
 * charged exactly what their own calls cost, with no lock between them. A task with a `budget`
 * cannot open a call whose maxCost would pass it. The tally is read once every call of the task is
 * settled (or after 15 s, booking what is still open at its maxCost).
 *
 * @param parameters The store to wrap and a per-call hook.
 * @returns The wrapped store, `measure` and `measureSettled`.
 * @example
 * const meter = createCostMeter({ store: payingStore });
 * const fetch = createPayingFetch({ …, store: meter.store });
 * const { result, cost } = await meter.measure(() => brain.ask(messages), { member });
 */
export function createCostMeter(parameters: CreateCostMeterParameters): CreateCostMeterReturnType {
  const { store, onCall } = parameters;
  const context = new AsyncLocalStorage<Tally>();
  /** The call as the store records it once: with the member it served and its latency. */
  const attributed = (tally: Tally | undefined, call: PaidCall): PaidCall => {
    if (!tally) return call;
    const latencyMs = Math.max(0, call.at - tally.lastAt);
    return { ...call, ...(tally.member ? { member: tally.member } : {}), latencyMs };
  };
  const count = (tally: Tally | undefined, call: PaidCall) => {
    if (tally) {
      tally.cost += call.cost;
      tally.calls++;
      tally.lastAt = call.at;
    }
    onCall?.(call, { member: tally?.member, latencyMs: call.latencyMs });
  };
  const wrapped: PayingStore = {
    ...store,
    recordCall: async (call) => {
      const tally = context.getStore();
      const recorded = attributed(tally, call);
      await store.recordCall(recorded);
      count(tally, recorded);
    },
    openCall: (maxCost) => {
      const tally = context.getStore();
      if (tally?.budget !== undefined && tally.cost + tally.pending + maxCost > tally.budget) {
        throw new ComputeBudgetExceededError(
          `This call may cost ${maxCost}; with ${tally.cost + tally.pending} spent or in flight it would pass this task's budget of ${tally.budget}.`,
        );
      }
      let closed = false;
      const close = () => {
        if (closed || !tally) return;
        closed = true;
        tally.open--;
        tally.pending -= maxCost;
        if (tally.open === 0) tally.idle?.();
      };
      if (tally) {
        tally.open++;
        tally.pending += maxCost;
      }
      return {
        record: async (call) => {
          const recorded = closed ? call : attributed(tally, call);
          await store.recordCall(recorded);
          if (!closed) count(tally, recorded);
          close();
        },
        cancel: close,
      };
    },
  };
  const measureSettled = async <T>(task: () => Promise<T>, options: MeasureOptions = {}): Promise<SettledCost<T>> => {
    const tally: Tally = { member: options.member, budget: options.budget, cost: 0n, calls: 0, lastAt: Date.now(), open: 0, pending: 0n, idle: undefined };
    let outcome: { ok: true; result: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: await context.run(tally, task) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    await new Promise((resolve) => setImmediate(resolve));
    if (tally.open > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, settleTimeoutMs);
        tally.idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // Calls still open after the wait are booked at their maxCost: the provider may redeem that much.
    return { ...outcome, cost: tally.cost + tally.pending, calls: tally.calls + tally.open };
  };
  return {
    store: wrapped,
    measureSettled,
    measure: async (task, options = {}) => {
      const settled = await measureSettled(task, options);
      if (!settled.ok) throw settled.error;
      return { result: settled.result, cost: settled.cost, calls: settled.calls };
    },
  };
}

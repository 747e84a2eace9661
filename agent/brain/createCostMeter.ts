import { AsyncLocalStorage } from 'node:async_hooks';
import type { Address } from 'viem';
import type { PaidCall, PayingStore } from '../../tools/compute/PayingStore.js';

/** Parameters of {@link createCostMeter}. */
export type CreateCostMeterParameters = {
  /** The paying fetch's store; the meter hands out a wrapped one. */
  store: PayingStore;
  /**
   * Called after each paid call is recorded, with the member it was made for (undefined outside a
   * member's reply) and the call's duration in ms (from the start of the measured task or the end of
   * its previous call, so tool time between model turns is included).
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

/** Return type of {@link createCostMeter}. */
export type CreateCostMeterReturnType = {
  /** The store to give the paying fetch: the same store, with calls also counted by the meter. */
  store: PayingStore;
  /** Runs `task` and returns what the paid calls made inside it cost. Tasks may run concurrently. */
  measure: <T>(task: () => Promise<T>, options?: { member?: Address | undefined }) => Promise<MeasuredCost<T>>;
};

type Tally = { member: Address | undefined; cost: bigint; calls: number; lastAt: number };

/**
 * Attributes paid inference to the task that caused it. The paying fetch records every call in its
 * store; the meter's wrapped store also adds the call's cost to the task running in the current async
 * context (`AsyncLocalStorage`), so concurrent replies (and the reflection job) are each charged
 * exactly what their own calls cost, with no lock between them. The tally is read one macrotask after
 * the task settles, since a stream's final figures are recorded a few microtasks after its last byte.
 *
 * @param parameters The store to wrap and a per-call hook.
 * @returns The wrapped store and `measure`.
 * @example
 * const meter = createCostMeter({ store: payingStore });
 * const fetch = createPayingFetch({ …, store: meter.store });
 * const { result, cost } = await meter.measure(() => brain.ask(messages), { member });
 */
export function createCostMeter(parameters: CreateCostMeterParameters): CreateCostMeterReturnType {
  const { store, onCall } = parameters;
  const context = new AsyncLocalStorage<Tally>();
  const wrapped: PayingStore = {
    ...store,
    recordCall: async (call) => {
      await store.recordCall(call);
      const tally = context.getStore();
      let latencyMs: number | undefined;
      if (tally) {
        tally.cost += call.cost;
        tally.calls++;
        latencyMs = Math.max(0, call.at - tally.lastAt);
        tally.lastAt = call.at;
      }
      onCall?.(call, { member: tally?.member, latencyMs });
    },
  };
  return {
    store: wrapped,
    measure: async (task, options = {}) => {
      const tally: Tally = { member: options.member, cost: 0n, calls: 0, lastAt: Date.now() };
      const result = await context.run(tally, task);
      await new Promise((resolve) => setImmediate(resolve));
      return { result, cost: tally.cost, calls: tally.calls };
    },
  };
}

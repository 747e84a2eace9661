import type { PaidCompletion } from './PaidCompletion.js';
import type { ProviderContext } from './ProviderContext.js';
import type { StreamTally } from './StreamTally.js';

/**
 * Settles a stream its client left: charged the whole reservation (the client authorized it and got
 * part of the answer), and the receipt signed and kept, never delivered, so the provider's receipt
 * chain covers every charge it redeems.
 *
 * @param context The provider.
 * @param paid The stream's request and reservation.
 * @param tally What was written before the client left.
 * @example if (signal.aborted) return chargeAbandonedStream(context, paid, tally);
 */
export async function chargeAbandonedStream(context: ProviderContext, paid: PaidCompletion, tally: StreamTally): Promise<void> {
  const { store, receipts, log } = context;
  const { reservation, upstream, promptBound, requestHash } = paid;
  const settled = await store.settle(reservation, { cost: reservation.amount, promptTokens: null, completionTokens: null, outcome: 'aborted' });
  if (receipts && tally.hasher && requestHash) {
    await store.recordReceipt(
      await receipts.sign({
        channelId: reservation.channelId,
        requestHash,
        responseHash: tally.hasher.digest(),
        model: upstream.model,
        tokensIn: Number(promptBound),
        tokensOut: tally.pieces,
        cost: settled.cost,
        spentAfter: settled.spent,
      }),
    );
  }
  log.warn('client left mid-stream', { channelId: reservation.channelId, charged: settled.cost });
}

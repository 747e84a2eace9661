import type { ServerResponse } from 'node:http';
import type { ReceiptWire } from '../../chain/receipt/receiptTypes.js';
import { meterCost } from '../../chain/voucher/meterCost.js';
import type { StreamSettlementWire } from '../../protocol/schemas.js';
import type { PaidCompletion } from './PaidCompletion.js';
import type { ProviderContext } from './ProviderContext.js';
import type { StreamTally } from './StreamTally.js';

/**
 * Closes a stream served to its end: meters it (the upstream's usage, or the prompt bound and one
 * token per piece when it reported none), settles the ledger, then sends the usage chunk last with
 * the final figures and the signed receipt under `y2c`, and `[DONE]`.
 *
 * @param context The provider.
 * @param res The response (headers already sent).
 * @param paid The stream's request and reservation.
 * @param tally What was written.
 * @example await finishStream(context, res, paid, tally);
 */
export async function finishStream(context: ProviderContext, res: ServerResponse, paid: PaidCompletion, tally: StreamTally): Promise<void> {
  const { store, terms, receipts, log } = context;
  const { reservation, upstream, voucher, promptBound, requestHash } = paid;
  const metered = tally.usage ?? { prompt_tokens: Number(promptBound), completion_tokens: tally.pieces, total_tokens: Number(promptBound) + tally.pieces };
  const cost = meterCost({ promptTokens: metered.prompt_tokens, completionTokens: metered.completion_tokens }, terms);
  const settled = await store.settle(reservation, {
    cost,
    promptTokens: metered.prompt_tokens,
    completionTokens: metered.completion_tokens,
    outcome: 'served',
  });
  const y2c: StreamSettlementWire & { receipt?: ReceiptWire } = { cost: settled.cost.toString(), spent: settled.spent.toString(), authorized: voucher.authorized.toString() };
  if (receipts && tally.hasher && requestHash) {
    y2c.receipt = await receipts.sign({
      channelId: reservation.channelId,
      requestHash,
      responseHash: tally.hasher.digest(),
      model: upstream.model,
      tokensIn: metered.prompt_tokens,
      tokensOut: metered.completion_tokens,
      cost: settled.cost,
      spentAfter: settled.spent,
    });
    await store.recordReceipt(y2c.receipt);
  }
  const base = tally.usageChunk ?? tally.last;
  const final = { ...(base ?? { id: 'chatcmpl-y2c', object: 'chat.completion.chunk', created: Math.floor(Date.now() / 1000), model: upstream.model }), choices: [], usage: metered, y2c };
  log.info('served', { channelId: reservation.channelId, model: upstream.model, cost: settled.cost, spent: settled.spent, stream: true });
  res.end(`data: ${JSON.stringify(final)}\n\ndata: [DONE]\n\n`);
}

import type { ServerResponse } from 'node:http';
import { meterCost } from '../../chain/voucher/meterCost.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import type { Backend } from '../backends/Backend.js';
import type { PaidCompletion } from './PaidCompletion.js';
import type { ProviderContext } from './ProviderContext.js';
import { sendJson } from '../../core/sendJson.js';
import { upstreamFailure } from './upstreamFailure.js';

/**
 * Serves a paid completion whole: the upstream's body, metered from its usage, the ledger settled
 * before the answer, the figures in `x-y2c-cost`/`x-y2c-spent` and the signed receipt beside them.
 * A failed upstream releases the reservation (nothing charged).
 *
 * @param context The provider.
 * @param res The response.
 * @param paid The request and its reservation.
 * @example return servePlain(context, res, { upstream, reservation, voucher, promptBound, signal, requestHash });
 */
export async function servePlain(context: ProviderContext, res: ServerResponse, paid: PaidCompletion): Promise<void> {
  const { backend, store, terms, receipts, log } = context;
  const { upstream, reservation, voucher, signal, requestHash } = paid;
  let completion: Awaited<ReturnType<Backend['complete']>>;
  try {
    completion = await backend.complete(upstream, signal);
  } catch (error) {
    await store.release(reservation, 'upstream_failed');
    throw upstreamFailure(error);
  }
  const cost = meterCost({ promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }, terms);
  const settled = await store.settle(reservation, {
    cost,
    promptTokens: completion.usage.prompt_tokens,
    completionTokens: completion.usage.completion_tokens,
    outcome: signal.aborted ? 'aborted' : 'served',
  });
  log.info('served', { channelId: reservation.channelId, model: upstream.model, cost: settled.cost, spent: settled.spent });
  const payload = { ...completion.body, usage: completion.body.usage ?? completion.usage };
  const headers: Record<string, string> = {
    [protocolHeaders.cost]: settled.cost.toString(),
    [protocolHeaders.spent]: settled.spent.toString(),
    [protocolHeaders.authorized]: voucher.authorized.toString(),
  };
  if (receipts && requestHash) {
    const receipt = await receipts.sign({
      channelId: reservation.channelId,
      requestHash,
      responseHash: receipts.hashText(JSON.stringify(payload)),
      model: upstream.model,
      tokensIn: completion.usage.prompt_tokens,
      tokensOut: completion.usage.completion_tokens,
      cost: settled.cost,
      spentAfter: settled.spent,
    });
    await store.recordReceipt(receipt);
    headers[protocolHeaders.receipt] = Buffer.from(JSON.stringify(receipt)).toString('base64url');
  }
  sendJson(res, 200, payload, headers);
}

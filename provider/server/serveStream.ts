import type { ServerResponse } from 'node:http';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import type { ChatCompletionChunk } from '../backends/Backend.js';
import { chargeAbandonedStream } from './chargeAbandonedStream.js';
import { finishStream } from './finishStream.js';
import type { PaidCompletion } from './PaidCompletion.js';
import type { ProviderContext } from './ProviderContext.js';
import type { StreamTally } from './StreamTally.js';
import { upstreamFailure } from './upstreamFailure.js';

/**
 * Serves a paid completion as server-sent events: the upstream's chunks passed through as they come
 * (the usage chunk held back for the end), then {@link finishStream}; a client that leaves is
 * charged the reservation ({@link chargeAbandonedStream}); an upstream that fails before the first
 * chunk is a 502 and after it an SSE error event, both charging nothing.
 *
 * @param context The provider.
 * @param res The response.
 * @param paid The request and its reservation.
 * @example if (request.stream === true) return serveStream(context, res, paid);
 */
export async function serveStream(context: ProviderContext, res: ServerResponse, paid: PaidCompletion): Promise<void> {
  const { backend, store, receipts, log } = context;
  const { upstream, reservation, voucher, signal, requestHash } = paid;
  // A stream's receipt covers every byte written before its final event.
  const tally: StreamTally = { usage: undefined, usageChunk: undefined, last: undefined, pieces: 0, hasher: receipts && requestHash ? receipts.streamHasher() : undefined };
  const iterator = backend.stream(upstream, signal)[Symbol.asyncIterator]();
  let first: IteratorResult<ChatCompletionChunk>;
  try {
    first = await iterator.next();
  } catch (error) {
    await store.release(reservation, 'upstream_failed');
    throw upstreamFailure(error);
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    [protocolHeaders.spent]: reservation.spentBefore.toString(),
    [protocolHeaders.reserved]: reservation.amount.toString(),
    [protocolHeaders.authorized]: voucher.authorized.toString(),
  });
  const emit = (chunk: ChatCompletionChunk) => {
    if (chunk.usage) {
      tally.usage = { prompt_tokens: chunk.usage.prompt_tokens, completion_tokens: chunk.usage.completion_tokens, total_tokens: chunk.usage.total_tokens };
      if (!chunk.choices.length) {
        // Held back: the usage chunk goes out last, after the ledger is written, with the final figures.
        tally.usageChunk = chunk;
        return;
      }
    }
    tally.last = chunk;
    for (const choice of chunk.choices) if (choice.delta.content || choice.delta.tool_calls) tally.pieces++;
    const event = `data: ${JSON.stringify(chunk)}\n\n`;
    tally.hasher?.update(event);
    res.write(event);
  };
  try {
    let step = first;
    while (!step.done) {
      emit(step.value);
      if (signal.aborted) break;
      step = await iterator.next();
    }
  } catch (error) {
    if (!signal.aborted) {
      await store.release(reservation, 'upstream_failed');
      const failure = upstreamFailure(error);
      log.warn('upstream failed mid-stream', { channelId: reservation.channelId, error: failure.message });
      res.end(`data: ${JSON.stringify({ error: { type: failure.type, code: failure.code, message: failure.shortMessage } })}\n\n`);
      return;
    }
  }
  if (signal.aborted) {
    // The client left mid-stream: it authorized the reservation and got part of the answer.
    await iterator.return?.(undefined).catch(() => undefined);
    return chargeAbandonedStream(context, paid, tally);
  }
  await finishStream(context, res, paid, tally);
}

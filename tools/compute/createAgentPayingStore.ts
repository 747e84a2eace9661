import { getAddress, type Address, type Hex } from 'viem';
import type { SignedReceipt } from '../../chain/receipt/receiptTypes.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { PaidCall, PayingChannelState, PayingStore } from './PayingStore.js';

/** Parameters of {@link createAgentPayingStore}. */
export type CreateAgentPayingStoreParameters = {
  /** The agent's memory: its one database (channels, calls, distrust list, receipts). */
  memory: Pick<OpenAgentMemoryReturnType, 'db' | 'channels' | 'calls'>;
};

/** Return type of {@link createAgentPayingStore}: a synchronous `PayingStore`, plus the calls of a channel. */
export type CreateAgentPayingStoreReturnType = Required<Omit<PayingStore, 'openCall' | 'getChannel' | 'channels' | 'costSince' | 'untrusted' | 'receiptAtStep'>> & {
  getChannel: (channelId: bigint) => PayingChannelState | undefined;
  channels: () => PayingChannelState[];
  costSince: (sinceMs: number) => bigint;
  untrusted: (provider: Address) => string | undefined;
  receiptAtStep: (channelId: bigint, step: bigint) => SignedReceipt | undefined;
  /** The paid calls on a channel, oldest first. */
  calls: (channelId: bigint) => PaidCall[];
};

type ReceiptRow = { channel_id: string; request_hash: string; response_hash: string; model: string; tokens_in: string; tokens_out: string; cost: string; spent_after: string; signature: string };

/**
 * The paying fetch's store over the agent's own database, so there is one store: a channel's
 * `authorized` and `spent` are the `channels` table's (the picker, the treasury and the summary read
 * the same row; nothing reconciles two copies), every paid call (failed ones too) is one row of the
 * `calls` journal the treasury's provider-health gate reads, and the distrust list and provider
 * receipts are tables beside them.
 *
 * @param parameters The agent's memory.
 * @returns The store.
 * @throws {UnknownChannelError} From `saveChannel` for a channel the agent does not know (sync it first).
 * @example const store = createAgentPayingStore({ memory }); createPayingFetch({ …, store })
 */
export function createAgentPayingStore(parameters: CreateAgentPayingStoreParameters): CreateAgentPayingStoreReturnType {
  const { db, channels, calls } = parameters.memory;
  const statements = {
    markUntrusted: db.prepare('INSERT INTO compute_untrusted (provider, reason, at) VALUES (?, ?, ?) ON CONFLICT (provider) DO UPDATE SET reason = excluded.reason'),
    untrusted: db.prepare('SELECT reason FROM compute_untrusted WHERE provider = ?').pluck(),
    receipt: db.prepare(
      `INSERT INTO compute_receipts (channel_id, provider, step, request_hash, response_hash, model, tokens_in, tokens_out, cost, spent_after, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    receiptAtStep: db.prepare('SELECT * FROM compute_receipts WHERE channel_id = ? AND step = ? ORDER BY id LIMIT 1'),
  };
  const toState = (channel: { channelId: bigint; provider: Address; spent: bigint; authorized: bigint }): PayingChannelState => ({
    channelId: channel.channelId,
    provider: channel.provider,
    spent: channel.spent,
    authorized: channel.authorized,
  });
  const saveChannel = db.transaction((state: PayingChannelState) => {
    channels.recordAuthorized(state.channelId, state.authorized);
    channels.recordSpent(state.channelId, state.spent);
  });
  return {
    getChannel: (channelId) => {
      const channel = channels.get(channelId);
      return channel && toState(channel);
    },
    saveChannel: (state) => saveChannel(state),
    channels: () => channels.list(10_000).map(toState),
    recordCall: (call) => {
      calls.record({
        provider: call.provider,
        channelId: call.channelId,
        model: call.model,
        cost: call.cost,
        maxCost: call.maxCost,
        spent: call.spent,
        atMs: call.at,
        latencyMs: call.latencyMs ?? 0,
        ok: call.ok ?? true,
        ...(call.error === undefined ? {} : { error: call.error }),
        ...(call.member === undefined ? {} : { member: call.member }),
      });
    },
    costSince: (sinceMs) => calls.costSinceMs(sinceMs),
    markUntrusted: (provider, reason) => void statements.markUntrusted.run(provider.toLowerCase(), reason, Date.now()),
    untrusted: (provider) => (statements.untrusted.get(provider.toLowerCase()) as string | undefined) ?? undefined,
    recordReceipt: (receipt) => {
      statements.receipt.run(
        receipt.channelId.toString(),
        receipt.provider,
        (receipt.spentAfter - receipt.cost).toString(),
        receipt.requestHash,
        receipt.responseHash,
        receipt.model,
        receipt.tokensIn.toString(),
        receipt.tokensOut.toString(),
        receipt.cost.toString(),
        receipt.spentAfter.toString(),
        receipt.signature,
      );
    },
    receiptAtStep: (channelId, step) => {
      const r = statements.receiptAtStep.get(channelId.toString(), step.toString()) as ReceiptRow | undefined;
      return (
        r && {
          channelId: BigInt(r.channel_id),
          requestHash: r.request_hash as Hex,
          responseHash: r.response_hash as Hex,
          model: r.model,
          tokensIn: BigInt(r.tokens_in),
          tokensOut: BigInt(r.tokens_out),
          cost: BigInt(r.cost),
          spentAfter: BigInt(r.spent_after),
          signature: r.signature as Hex,
        }
      );
    },
    calls: (channelId) =>
      calls.ofChannel(channelId).map((call) => ({
        channelId,
        provider: getAddress(call.provider),
        model: call.model,
        cost: call.cost,
        maxCost: call.maxCost,
        spent: call.spent,
        at: call.atMs ?? call.createdAt * 1000,
        ok: call.ok,
        ...(call.error === undefined ? {} : { error: call.error }),
        ...(call.member === undefined ? {} : { member: call.member }),
        latencyMs: call.latencyMs,
      })),
  };
}

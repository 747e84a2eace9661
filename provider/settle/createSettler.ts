import { parseEventLogs, type Account, type Address, type Chain, type Client, type Hex, type Transport } from 'viem';
import { waitForTransactionReceipt, writeContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { CreateChannelReaderReturnType } from '../chain/createChannelReader.js';
import type { Logger } from '../../core/Logger.js';
import type { ProviderStore } from '../store/ProviderStore.js';

/** Parameters of {@link createSettler}. */
export type CreateSettlerParameters = {
  /** The provider's wallet client (its key redeems). */
  client: Client<Transport, Chain, Account>;
  /** The ComputeMarket contract. */
  market: Address;
  /** The ledger. */
  store: ProviderStore;
  /** Channel reader (for on-chain `redeemed` and closing state). */
  channels: CreateChannelReaderReturnType;
  /** Redeem everything outstanding this often (default 10 minutes). */
  intervalMs?: number;
  /**
   * Check outstanding channels for a pending close this often (default 30 s) and redeem those at
   * once: the safety net for a CloseRequested event missed while the node was down or the RPC failed.
   */
  closingCheckMs?: number;
  /** Logger. */
  log: Logger;
};

/** Result of one settlement. */
export type SettlementResult = {
  /** The redeemMany transaction, when one was sent. */
  txHash: Hex | undefined;
  /** Channel ids redeemed and their new cumulative amounts. */
  redeemed: Array<{ channelId: bigint; amount: bigint; paid: bigint }>;
};

/** Return type of {@link createSettler}. */
export type CreateSettlerReturnType = {
  /** Redeems `spent` (never more) of every outstanding channel, or of the given ones, in one redeemMany. Single-flight. */
  settle: (channelIds?: readonly bigint[]) => Promise<SettlementResult>;
  /** Redeems the outstanding channels whose close has been requested (run at start and every `closingCheckMs`). */
  settleClosing: () => Promise<SettlementResult>;
  /** Starts the schedule. */
  start: () => void;
  /** Stops the schedule and waits for a running settlement. */
  stop: () => Promise<void>;
};

/**
 * Redeems what clients have spent: on a schedule, and at once for a channel whose close was
 * requested (so it is always redeemed before its challenge window ends). It redeems exactly the
 * ledger's `spent` with the best voucher held (whose `authorized` is at least `spent`), skips what
 * the chain already shows redeemed, and records each redemption with its transaction hash.
 *
 * @param parameters The wallet, the market, the ledger and the schedule.
 * @returns `{ settle, start, stop }`.
 * @example const settler = createSettler({ client, market, store, channels, log }); settler.start();
 */
export function createSettler(parameters: CreateSettlerParameters): CreateSettlerReturnType {
  const { client, market, store, channels, intervalMs = 600_000, closingCheckMs = 30_000, log } = parameters;
  let running: Promise<SettlementResult> | undefined;
  let pending: bigint[] | 'all' | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closingTimer: NodeJS.Timeout | undefined;

  async function run(only: readonly bigint[] | undefined): Promise<SettlementResult> {
    // A fleet redeems once: only the frontend holding the leader lock settles.
    if (!(await store.lead())) return { txHash: undefined, redeemed: [] };
    const wanted = only ? new Set(only) : undefined;
    const candidates = (await store.outstanding()).filter((c) => !wanted || wanted.has(c.channelId));
    const redemptions: Array<{ channelId: bigint; amount: bigint; authorized: bigint; signature: Hex; paid: bigint }> = [];
    for (const ledger of candidates) {
      const onChain = await channels.get(ledger.channelId, { fresh: true });
      if (!onChain || onChain.closed || !ledger.signature) continue;
      if (onChain.redeemed >= ledger.spent) {
        if (onChain.redeemed > ledger.redeemed) {
          log.warn('chain shows more redeemed than the ledger', { channelId: ledger.channelId, chain: onChain.redeemed, spent: ledger.spent });
        }
        continue;
      }
      redemptions.push({
        channelId: ledger.channelId,
        amount: ledger.spent,
        authorized: ledger.authorized,
        signature: ledger.signature,
        paid: ledger.spent - onChain.redeemed,
      });
    }
    if (!redemptions.length) return { txHash: undefined, redeemed: [] };
    const txHash = await writeContract(client, {
      address: market,
      abi: computeMarketAbi,
      functionName: 'redeemMany',
      args: [redemptions.map(({ channelId, amount, authorized, signature }) => ({ channelId, amount, authorized, signature }))],
      chain: client.chain,
      account: client.account,
    });
    const receipt = await waitForTransactionReceipt(client, { hash: txHash });
    if (receipt.status !== 'success') {
      for (const r of redemptions) await store.recordRedemption({ txHash, channelId: r.channelId, amount: r.amount, paid: 0n, status: 'reverted' });
      log.error('redemption reverted', { txHash, channels: redemptions.length });
      return { txHash, redeemed: [] };
    }
    // redeemMany skips bad entries instead of reverting: only a Redeemed event says an entry was paid.
    const events = parseEventLogs({ abi: computeMarketAbi, logs: receipt.logs, eventName: ['Redeemed', 'RedemptionSkipped'] });
    const paid = new Map<bigint, bigint>();
    for (const event of events) {
      if (event.address.toLowerCase() !== market.toLowerCase()) continue;
      if (event.eventName === 'Redeemed') paid.set(event.args.channelId, event.args.paid);
      else log.warn('redemption skipped', { txHash, channelId: event.args.channelId, reason: event.args.reason });
    }
    const redeemed: SettlementResult['redeemed'] = [];
    for (const r of redemptions) {
      const amountPaid = paid.get(r.channelId);
      await store.recordRedemption({ txHash, channelId: r.channelId, amount: r.amount, paid: amountPaid ?? 0n, status: amountPaid === undefined ? 'skipped' : 'confirmed' });
      if (amountPaid !== undefined) redeemed.push({ channelId: r.channelId, amount: r.amount, paid: amountPaid });
    }
    log.info('redeemed', { txHash, channels: redeemed.map((r) => r.channelId), total: redeemed.reduce((s, r) => s + r.paid, 0n) });
    return { txHash, redeemed };
  }

  async function settle(channelIds?: readonly bigint[]): Promise<SettlementResult> {
    // Single-flight: a request arriving while one runs is merged into the next run.
    if (running) {
      pending = !channelIds || pending === 'all' ? 'all' : [...(pending ?? []), ...channelIds];
      await running.catch(() => undefined);
      if (running) return running;
      const next = pending === 'all' ? undefined : pending;
      pending = undefined;
      return settle(next);
    }
    running = run(channelIds).finally(() => {
      running = undefined;
    });
    return running;
  }

  async function settleClosing(): Promise<SettlementResult> {
    const closing: bigint[] = [];
    if (!(await store.lead())) return { txHash: undefined, redeemed: [] };
    for (const ledger of await store.outstanding()) {
      const onChain = await channels.get(ledger.channelId, { fresh: true });
      if (onChain && !onChain.closed && onChain.closesAt !== 0n) closing.push(ledger.channelId);
    }
    if (!closing.length) return { txHash: undefined, redeemed: [] };
    log.info('redeeming closing channels', { channels: closing });
    return settle(closing);
  }

  const report = (error: unknown) => log.error('settlement failed', { error: error instanceof Error ? error.message : String(error) });
  const tick = () => {
    settle().catch(report);
  };

  return {
    settle,
    settleClosing,
    start() {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      closingTimer = setInterval(() => void settleClosing().catch(report), closingCheckMs);
      void settleClosing().catch(report);
    },
    async stop() {
      if (timer) clearInterval(timer);
      if (closingTimer) clearInterval(closingTimer);
      timer = undefined;
      closingTimer = undefined;
      await running?.catch(() => undefined);
    },
  };
}

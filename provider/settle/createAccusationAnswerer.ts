import type { Account, Address, Chain, Client, Hash, Transport } from 'viem';
import { readContract, waitForTransactionReceipt, watchContractEvent, writeContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { parseReceipt } from '../../chain/receipt/parseReceipt.js';
import type { Logger } from '../../core/Logger.js';
import type { ProviderStore } from '../store/ProviderStore.js';

/** Parameters of {@link createAccusationAnswerer}. */
export type CreateAccusationAnswererParameters = {
  /** The provider's wallet client. */
  client: Client<Transport, Chain, Account>;
  /** The ComputeMarket contract. */
  market: Address;
  /** The ledger (its receipts). */
  store: ProviderStore;
  /** Event polling interval (default 100 ms). */
  pollingIntervalMs?: number;
  /** Logger. */
  log: Logger;
};

/** Return type of {@link createAccusationAnswerer}. */
export type CreateAccusationAnswererReturnType = {
  /** Answers the open accusation on a channel, if any, with the latest receipt signed for it; returns the transaction. */
  answer: (channelId: bigint) => Promise<Hash | undefined>;
  /** Starts watching `OverRedemptionAccused` against this provider. */
  start: () => void;
  /** Stops watching. */
  stop: () => void;
};

/**
 * An honest provider's defence of its bond: when a payer accuses it of over-redemption with an
 * older receipt (hiding later ones), it answers within the response window with the latest receipt
 * it signed for that channel, which continues the chain and covers what it redeemed. Only the
 * settlement leader redeems, but any frontend may answer (the answer is idempotent on chain: the
 * second one reverts harmlessly).
 *
 * @param parameters The wallet, the market and the ledger.
 * @returns `{ answer, start, stop }`.
 * @example const answerer = createAccusationAnswerer({ client, market, store, log }); answerer.start();
 */
export function createAccusationAnswerer(parameters: CreateAccusationAnswererParameters): CreateAccusationAnswererReturnType {
  const { client, market, store, log, pollingIntervalMs = 100 } = parameters;
  let unwatch: (() => void) | undefined;

  async function answer(channelId: bigint): Promise<Hash | undefined> {
    const [, deadline] = await readContract(client, { address: market, abi: computeMarketAbi, functionName: 'accusationOf', args: [channelId] });
    if (deadline === 0n) return undefined;
    const wire = await store.latestReceipt(channelId);
    if (!wire) {
      log.error('accused without a receipt to answer with', { channelId });
      return undefined;
    }
    const { signature, ...receipt } = parseReceipt(wire);
    const hash = await writeContract(client, {
      address: market,
      abi: computeMarketAbi,
      functionName: 'answerOverRedemption',
      args: [receipt, signature],
      chain: client.chain,
      account: client.account,
    });
    const mined = await waitForTransactionReceipt(client, { hash });
    log.info('answered an over-redemption accusation', { channelId, spentAfter: receipt.spentAfter, txHash: hash, status: mined.status });
    return hash;
  }

  return {
    answer,
    start() {
      if (unwatch) return;
      unwatch = watchContractEvent(client, {
        address: market,
        abi: computeMarketAbi,
        eventName: 'OverRedemptionAccused',
        args: { provider: client.account.address },
        pollingInterval: pollingIntervalMs,
        onLogs: (logs) => {
          for (const entry of logs) {
            const channelId = entry.args.channelId;
            if (channelId === undefined) continue;
            answer(channelId).catch((error: unknown) => log.warn('answering an accusation failed', { channelId, error: error instanceof Error ? error.message : String(error) }));
          }
        },
        onError: (error) => log.warn('accusation watch failed', { error: error.message }),
      });
    },
    stop() {
      unwatch?.();
      unwatch = undefined;
    },
  };
}

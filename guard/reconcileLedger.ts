import { computeChannelId } from '@x402/evm/batch-settlement/client';
import { x402BatchSettlementAbi } from '../chain/abi/generated/x402BatchSettlement.js';
import { x402BatchSettlementAddress } from '../chain/deploy/deployX402.js';
import type { X402ChannelConfig } from './createGuardedExecutor.js';
import { isAddressEqual, type Address, type Hash, type PublicClient } from 'viem';
import { agentGovernorAbi } from '../chain/abi/generated/agentGovernor.js';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import type { LedgerEntry } from '../memory/createLedgerStore.js';
import type { OpenAgentMemoryReturnType } from '../memory/openAgentMemory.js';
import type { AgentDeployment } from './AgentDeployment.js';

/** Parameters of {@link reconcileLedger}. */
export type ReconcileLedgerParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels'>;
};

/** What reconciliation found for one pending entry. */
export type ReconciledEntry = { id: number; kind: string; outcome: 'reconciled' | 'failed' | 'lost'; note: string; txHash: Hash | undefined };

/** Return type of {@link reconcileLedger}. */
export type ReconcileLedgerReturnType = ReconciledEntry[];

/**
 * After a crash, settles every pending ledger entry (`intent` or `sent`) from the chain, never by
 * repeating it. With a transaction hash it reads the receipt (success → reconciled, revert → failed).
 * With only an intent (or a hash the chain does not know) it looks for the action's own event since
 * the block the intent was written at: found → reconciled with its amount; not found → failed,
 * "not executed", and the next treasury tick decides again from fresh chain state. Then it looks
 * for succeeded entries whose transaction the chain no longer has (the chain's state was restored
 * from before them, e.g. after `kill -9`): those become failed ("lost"), newest first, stopping at
 * the first the chain still has; channels the chain does not know are closed in memory and the
 * rest take the chain's deposit.
 *
 * @param parameters Chain, deployment and memory.
 * @returns What was found per entry.
 * @example const found = await reconcileLedger({ publicClient, deployment, memory }); // at start-up
 */
export async function reconcileLedger(parameters: ReconcileLedgerParameters): Promise<ReconcileLedgerReturnType> {
  const { publicClient, deployment, memory } = parameters;
  const results: ReconciledEntry[] = [];
  for (const entry of memory.ledger.listPending()) {
    if (entry.txHash) {
      const receipt = await publicClient.getTransactionReceipt({ hash: entry.txHash }).catch(() => undefined);
      if (receipt) {
        const fields = { txHash: entry.txHash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber, effectiveGasPrice: receipt.effectiveGasPrice };
        if (receipt.status === 'success') {
          const note = `receipt of ${entry.txHash} found after restart: succeeded in block ${receipt.blockNumber}`;
          memory.ledger.markReconciled(entry.id, note, fields);
          results.push({ id: entry.id, kind: entry.kind, outcome: 'reconciled', note, txHash: entry.txHash });
        } else {
          const note = `receipt of ${entry.txHash} found after restart: reverted`;
          memory.ledger.markFailed(entry.id, note, fields);
          results.push({ id: entry.id, kind: entry.kind, outcome: 'failed', note, txHash: entry.txHash });
        }
        continue;
      }
    }
    const found = await findEvent(publicClient, deployment, entry);
    if (found) {
      const note = `${entry.kind} found on chain in ${found.txHash} after restart`;
      memory.ledger.markReconciled(entry.id, note, { txHash: found.txHash, blockNumber: found.blockNumber, ...(found.amount !== undefined ? { amount: found.amount } : {}) });
      if (found.channel) memory.channels.upsert(found.channel);
      results.push({ id: entry.id, kind: entry.kind, outcome: 'reconciled', note, txHash: found.txHash });
    } else {
      const note = `not executed: no trace of ${entry.kind} on chain since block ${String(entry.params.fromBlock ?? 0)}; the next tick decides again from chain state`;
      memory.ledger.markFailed(entry.id, note);
      results.push({ id: entry.id, kind: entry.kind, outcome: 'failed', note, txHash: undefined });
    }
  }
  results.push(...(await reconcileLost(publicClient, deployment, memory)));
  return results;
}

/** Succeeded entries the chain lost, newest first until one it still has; then channels from the chain. */
async function reconcileLost(publicClient: PublicClient, deployment: AgentDeployment, memory: ReconcileLedgerParameters['memory']): Promise<ReconciledEntry[]> {
  const results: ReconciledEntry[] = [];
  for (const entry of memory.ledger.listSucceededWithTx()) {
    const hash = entry.txHash as Hash;
    const known = await publicClient.getTransactionReceipt({ hash }).then(
      () => true,
      () => false,
    );
    if (known) break;
    const note = `lost: the chain no longer has ${hash} (its state was restored from before block ${String(entry.blockNumber ?? '?')}); not counted`;
    memory.ledger.markLost(entry.id, note);
    results.push({ id: entry.id, kind: entry.kind, outcome: 'lost', note, txHash: hash });
  }
  if (results.length === 0) return results;
  for (const channel of memory.channels.listOpen()) {
    const onChain = await publicClient.readContract({ address: deployment.computeMarket, abi: computeMarketAbi, functionName: 'getChannel', args: [channel.channelId] });
    const known = { channelId: channel.channelId, provider: channel.provider, signer: channel.signer };
    if (!isAddressEqual(onChain.payer, deployment.agent.tba)) memory.channels.upsert({ ...known, deposit: channel.deposit, status: 'closed' });
    else if (onChain.deposit !== channel.deposit || onChain.closed) {
      memory.channels.upsert({ ...known, deposit: onChain.deposit, redeemed: onChain.redeemed, ...(onChain.closed ? { status: 'closed' as const } : {}) });
    }
  }
  return results;
}

type Found = {
  txHash: Hash;
  blockNumber: bigint;
  amount: bigint | undefined;
  channel?: { channelId: bigint; provider: Address; signer: Address; deposit: bigint };
};

async function findEvent(publicClient: PublicClient, deployment: AgentDeployment, entry: LedgerEntry): Promise<Found | undefined> {
  const fromBlock = BigInt(String(entry.params.fromBlock ?? '0'));
  const tba = deployment.agent.tba;
  const market = deployment.computeMarket;
  const channelId = entry.params.channelId === undefined ? undefined : BigInt(String(entry.params.channelId));
  const pick = <T extends { transactionHash: Hash | null; blockNumber: bigint | null }>(logs: readonly T[]) => logs.find((log) => log.transactionHash && log.blockNumber !== null);
  switch (entry.kind) {
    case 'harvest': {
      const logs = await publicClient.getContractEvents({ address: deployment.agent.vault, abi: yieldVaultAbi, eventName: 'Harvested', args: { beneficiary: tba }, fromBlock });
      const log = pick(logs);
      return log && { txHash: log.transactionHash, blockNumber: log.blockNumber, amount: log.args.amount };
    }
    case 'open_channel': {
      const provider = String(entry.params.provider ?? '') as Address;
      const logs = await publicClient.getContractEvents({ address: market, abi: computeMarketAbi, eventName: 'ChannelOpened', args: { payer: tba }, fromBlock });
      const log = pick(logs.filter((item) => item.args.provider && isAddressEqual(item.args.provider, provider)));
      if (!log || log.args.channelId === undefined || !log.args.provider || !log.args.signer || log.args.deposit === undefined) return undefined;
      return {
        txHash: log.transactionHash,
        blockNumber: log.blockNumber,
        amount: log.args.deposit,
        channel: { channelId: log.args.channelId, provider: log.args.provider, signer: log.args.signer, deposit: log.args.deposit },
      };
    }
    case 'top_up': {
      if (channelId === undefined) return undefined;
      const log = pick(await publicClient.getContractEvents({ address: market, abi: computeMarketAbi, eventName: 'ChannelToppedUp', args: { channelId }, fromBlock }));
      return log && { txHash: log.transactionHash, blockNumber: log.blockNumber, amount: log.args.amount };
    }
    case 'request_close': {
      if (channelId === undefined) return undefined;
      const log = pick(await publicClient.getContractEvents({ address: market, abi: computeMarketAbi, eventName: 'CloseRequested', args: { channelId }, fromBlock }));
      return log && { txHash: log.transactionHash, blockNumber: log.blockNumber, amount: undefined };
    }
    case 'finalize': {
      if (channelId === undefined) return undefined;
      const log = pick(await publicClient.getContractEvents({ address: market, abi: computeMarketAbi, eventName: 'ChannelClosed', args: { channelId }, fromBlock }));
      return log && { txHash: log.transactionHash, blockNumber: log.blockNumber, amount: log.args.refunded };
    }
    case 'propose': {
      const governor = deployment.governance?.governor;
      if (!governor) return undefined;
      const description = String(entry.params.description ?? '');
      const logs = await publicClient.getContractEvents({ address: governor, abi: agentGovernorAbi, eventName: 'ProposalCreated', fromBlock });
      const log = pick(logs.filter((item) => item.args.proposer && isAddressEqual(item.args.proposer, tba) && item.args.description === description));
      return log && { txHash: log.transactionHash, blockNumber: log.blockNumber, amount: undefined };
    }
    case 'x402_deposit': {
      // The channel is the EIP-712 hash of its config: the intent's own channel, deposited by the TBA.
      const config = entry.params.channel as X402ChannelConfig | undefined;
      if (!config) return undefined;
      const id = computeChannelId(config, await publicClient.getChainId());
      const logs = await publicClient.getContractEvents({ address: x402BatchSettlementAddress, abi: x402BatchSettlementAbi, eventName: 'Deposited', args: { channelId: id, payer: tba }, fromBlock });
      const log = pick(logs);
      return log && { txHash: log.transactionHash, blockNumber: log.blockNumber, amount: log.args.amount };
    }
    default:
      return undefined;
  }
}

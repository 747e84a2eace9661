import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { firstLine } from '../core/firstLine.js';
import { checkCounterparties } from './checkCounterparties.js';
import { checkGuardedAction } from './checkGuardedAction.js';
import type { GuardedAction, GuardedOrigin, GuardedReceipt } from './createGuardedExecutor.js';
import { encodeGuardedCalls } from './encodeGuardedCalls.js';
import type { GuardContext } from './GuardContext.js';
import { ledgerKindOf } from './ledgerKindOf.js';
import { readOutcome } from './readOutcome.js';
import { readProposalId } from './readProposalId.js';

/**
 * One guarded write, start to end: check the code policy and the counterparties, journal the
 * intent (with the block it starts from, so a crash can be reconciled from the chain), send through
 * the session key, journal the hash as soon as it is known, then the receipt (and the channel as the
 * chain now holds it) or the failure. The caller serializes writes.
 *
 * @param context The guard.
 * @param action The action.
 * @param options Why, and who asked.
 * @returns What the confirmed write did.
 * @example await runGuardedAction(context, { action: 'harvest' }, { reason: 'pending yield', origin: 'policy' });
 */
export async function runGuardedAction(context: GuardContext, action: GuardedAction, options: { reason: string; origin: GuardedOrigin }): Promise<GuardedReceipt> {
  const { wallet, publicClient, memory, deployment, tba, vault, market } = context;
  const governance = deployment.governance;
  await checkGuardedAction(context, action);
  const calls = encodeGuardedCalls(context, action);
  checkCounterparties(context, calls);
  const fromBlock = await publicClient.getBlockNumber();
  const amount = 'amount' in action ? action.amount : action.action === 'refill_gas' ? action.amountWei : undefined;
  // A proposal is journaled by what it asks (its text and targets), not by its calldata.
  const journaled = action.action === 'propose' ? { action: action.action, targets: action.targets, description: action.description } : action;
  const ledgerId = memory.ledger.recordIntent({
    kind: ledgerKindOf[action.action],
    reason: options.reason,
    params: { ...journaled, origin: options.origin, fromBlock, tba },
    ...(amount !== undefined && action.action !== 'refill_gas' ? { amount } : {}),
  });
  let sent;
  let journaledHash = false;
  try {
    sent = await wallet.sendCalls(calls, action.action, {
      onSubmitted: (hash) => {
        memory.ledger.markSent(ledgerId, hash);
        journaledHash = true;
      },
    });
  } catch (error) {
    memory.ledger.markFailed(ledgerId, firstLine(error) || String(error));
    throw error;
  }
  if (!journaledHash) memory.ledger.markSent(ledgerId, sent.transactionHash);
  const receipt = await publicClient.getTransactionReceipt({ hash: sent.transactionHash });
  const outcome = readOutcome({ action, logs: receipt.logs, tba, vault, market });
  const proposalId = action.action === 'propose' && governance ? readProposalId({ logs: receipt.logs, governor: governance.governor, tba }) : undefined;
  if (outcome.channel) {
    memory.channels.upsert({ channelId: outcome.channel.channelId, provider: outcome.channel.provider, signer: outcome.channel.signer, deposit: outcome.channel.deposit });
  } else if ('channelId' in action) {
    // The chain is the truth for the channel's deposit, redemptions and window.
    const onChain = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [action.channelId] });
    memory.channels.upsert({
      channelId: action.channelId,
      provider: onChain.provider,
      signer: onChain.signer,
      deposit: onChain.deposit,
      redeemed: onChain.redeemed,
      status: onChain.closed ? 'closed' : onChain.closesAt > 0n ? 'closing' : 'open',
      ...(onChain.closesAt > 0n ? { closesAt: Number(onChain.closesAt) } : {}),
    });
  }
  memory.ledger.markConfirmed(ledgerId, {
    gasUsed: sent.gasUsed,
    blockNumber: sent.blockNumber,
    effectiveGasPrice: receipt.effectiveGasPrice,
    ...(outcome.amount !== undefined ? { amount: outcome.amount } : {}),
  });
  return {
    ledgerId,
    action: action.action,
    transactionHash: sent.transactionHash,
    blockNumber: sent.blockNumber,
    gasUsed: sent.gasUsed,
    amount: outcome.amount,
    channelId: outcome.channel?.channelId ?? ('channelId' in action ? action.channelId : undefined),
    ...(proposalId !== undefined ? { proposalId } : {}),
  };
}

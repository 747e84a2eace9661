import { checkBondClaim } from './checkBondClaim.js';
import { getAddress } from 'viem';
import { checkDeposit } from './checkDeposit.js';
import { checkProposal } from './checkProposal.js';
import { checkProvider } from './checkProvider.js';
import { checkX402Channel } from './checkX402Channel.js';
import type { GuardedAction } from './createGuardedExecutor.js';
import { erc8004Of } from './erc8004Of.js';
import { ActionNotAllowedError, ComputeCapExceededError } from './errors.js';
import type { GuardContext } from './GuardContext.js';
import { maxIdentityBytes } from './guardLimits.js';
import { ledgerKindOf } from './ledgerKindOf.js';
import { readOwnedChannel } from './readOwnedChannel.js';

const knownActions = new Set<string>(Object.keys(ledgerKindOf));

/**
 * The code policy of one action, checked before anything is signed: the action is known and
 * allowed, and passes its own rule (trusted provider and deposit budget, own channel, x402 terms,
 * gas refill cap, the agent's own identity, proposal limits).
 *
 * @param context The guard.
 * @param action The action.
 * @throws The typed refusal of the rule it breaks.
 * @example await checkGuardedAction(context, { action: 'open', provider, amount: 5_000_000n });
 */
export async function checkGuardedAction(context: GuardContext, action: GuardedAction): Promise<void> {
  const { policy, deployment } = context;
  const name = (action as { action: unknown }).action;
  if (typeof name !== 'string' || !knownActions.has(name)) throw new ActionNotAllowedError(`The agent has no action "${String(name)}".`);
  if (!policy.allowedActions.includes(action.action)) throw new ActionNotAllowedError(`The action "${action.action}" is not allowed by the policy.`);
  switch (action.action) {
    case 'harvest':
      return;
    case 'open':
      await checkProvider(context, getAddress(action.provider));
      return checkDeposit(context, action.amount);
    case 'top_up': {
      const channel = await readOwnedChannel(context, action.channelId);
      await checkProvider(context, channel.provider);
      return checkDeposit(context, action.amount);
    }
    case 'request_close':
    case 'finalize':
      await readOwnedChannel(context, action.channelId);
      return;
    case 'x402_deposit':
      checkX402Channel(context, action.channel);
      return checkDeposit(context, action.amount);
    case 'refill_gas':
      if (action.amountWei <= 0n || action.amountWei > policy.maxRefillWei) {
        throw new ComputeCapExceededError(`A gas refill of ${action.amountWei} wei is outside (0, ${policy.maxRefillWei}].`);
      }
      return;
    case 'publish_identity': {
      const { agentId } = erc8004Of(deployment);
      if (action.agentId !== agentId) throw new ActionNotAllowedError(`Agent id ${action.agentId} is not the agent's own ERC-8004 id.`);
      if (Buffer.byteLength(action.uri) > maxIdentityBytes) throw new ActionNotAllowedError(`A registration URI of ${Buffer.byteLength(action.uri)} bytes is above ${maxIdentityBytes}.`);
      return;
    }
    case 'rate_provider': {
      const { agentId } = erc8004Of(deployment);
      const text = action.tag1 + action.tag2 + action.endpoint + action.feedbackURI;
      if (Buffer.byteLength(text) > maxIdentityBytes) throw new ActionNotAllowedError(`Feedback of ${Buffer.byteLength(text)} bytes is above ${maxIdentityBytes}.`);
      if (!Number.isInteger(action.valueDecimals) || action.valueDecimals < 0 || action.valueDecimals > 18) throw new ActionNotAllowedError(`valueDecimals ${action.valueDecimals} is outside 0..18.`);
      if (action.providerAgentId === agentId) throw new ActionNotAllowedError('The agent does not rate itself.');
      return;
    }
    case 'propose':
      return checkProposal(context, action);
    case 'accuse_over_redemption':
    case 'slash_over_redemption':
    case 'prove_double_signing':
      return checkBondClaim({ claim: action, publicClient: context.publicClient, market: context.market, tba: context.tba, now: async () => Number((await context.publicClient.getBlock()).timestamp) });
  }
}

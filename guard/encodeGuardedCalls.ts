import { encodeBondClaim } from './encodeBondClaim.js';
import { encodeFunctionData, getAddress, zeroAddress } from 'viem';
import { agentGovernorAbi } from '../chain/abi/generated/agentGovernor.js';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { identityRegistryAbi } from '../chain/abi/generated/identityRegistry.js';
import { reputationRegistryAbi } from '../chain/abi/generated/reputationRegistry.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { x402BatchSettlementAbi } from '../chain/abi/generated/x402BatchSettlement.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import { x402BatchSettlementAddress } from '../chain/deploy/deployX402.js';
import type { AgentCall } from '../chain/wallet/createAgentWallet.js';
import type { GuardedAction } from './createGuardedExecutor.js';
import { erc8004Of } from './erc8004Of.js';
import type { GuardContext } from './GuardContext.js';

/**
 * The account calls that carry out one (already checked) action.
 *
 * @param context The guard (addresses, session key).
 * @param action The action.
 * @returns The calls, in order.
 * @example encodeGuardedCalls(context, { action: 'harvest' }) // [{ to: vault, data: harvest() }]
 */
export function encodeGuardedCalls(context: GuardContext, action: GuardedAction): AgentCall[] {
  const { vault, token, market, wallet, deployment } = context;
  switch (action.action) {
    case 'harvest':
      return [{ to: vault, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) }];
    case 'open':
      return [
        { to: token, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [market, action.amount] }) },
        { to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'open', args: [getAddress(action.provider), wallet.sessionKey, action.amount] }) },
      ];
    case 'top_up':
      return [
        { to: token, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [market, action.amount] }) },
        { to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'topUp', args: [action.channelId, action.amount] }) },
      ];
    case 'request_close':
      return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'requestClose', args: [action.channelId] }) }];
    case 'finalize':
      return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'finalize', args: [action.channelId] }) }];
    case 'refill_gas':
      return [{ to: wallet.sessionKey, value: action.amountWei }];
    case 'publish_identity':
      return [{ to: erc8004Of(deployment).registries.identityRegistry, data: encodeFunctionData({ abi: identityRegistryAbi, functionName: 'setAgentURI', args: [action.agentId, action.uri] }) }];
    case 'rate_provider':
      return [
        {
          to: erc8004Of(deployment).registries.reputationRegistry,
          data: encodeFunctionData({
            abi: reputationRegistryAbi,
            functionName: 'giveFeedback',
            args: [action.providerAgentId, action.value, action.valueDecimals, action.tag1, action.tag2, action.endpoint, action.feedbackURI, action.feedbackHash],
          }),
        },
      ];
    case 'propose':
      return [
        {
          to: (deployment.governance as NonNullable<typeof deployment.governance>).governor,
          data: encodeFunctionData({ abi: agentGovernorAbi, functionName: 'propose', args: [[...action.targets], [...action.values], [...action.calldatas], action.description] }),
        },
      ];
    case 'x402_deposit': {
      const channel = { ...action.channel, receiver: getAddress(action.channel.receiver), receiverAuthorizer: getAddress(action.channel.receiverAuthorizer) };
      return [
        { to: token, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [x402BatchSettlementAddress, action.amount] }) },
        // Collector zero: the escrow pulls exactly `amount` from the account (the approval above).
        { to: x402BatchSettlementAddress, data: encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: 'deposit', args: [channel, action.amount, zeroAddress, '0x'] }) },
      ];
    }
    case 'accuse_over_redemption':
    case 'slash_over_redemption':
    case 'prove_double_signing':
      return encodeBondClaim(action, market);
  }
}

import { isAddressEqual } from 'viem';
import { x402BatchSettlementAddress } from '../chain/deploy/deployX402.js';
import type { AgentCall } from '../chain/wallet/createAgentWallet.js';
import { CounterpartyNotAllowedError } from './errors.js';
import type { GuardContext } from './GuardContext.js';

/**
 * Every call goes to one of the agent's counterparties: the vault, the payment token, the market,
 * the session key (gas), the x402 escrow, the governor and the ERC-8004 registries.
 *
 * @param context The guard.
 * @param calls The encoded calls.
 * @throws {CounterpartyNotAllowedError} For a call elsewhere.
 * @example checkCounterparties(context, encodeGuardedCalls(context, action));
 */
export function checkCounterparties(context: GuardContext, calls: readonly AgentCall[]): void {
  const { vault, token, market, wallet, deployment } = context;
  const governance = deployment.governance;
  const allowed = [vault, token, market, wallet.sessionKey, x402BatchSettlementAddress, ...(governance ? [governance.governor] : []), ...(deployment.erc8004 ? [deployment.erc8004.identityRegistry, deployment.erc8004.reputationRegistry] : [])];
  for (const call of calls) {
    if (!allowed.some((address) => isAddressEqual(address, call.to))) {
      throw new CounterpartyNotAllowedError(`A call to ${call.to} is outside the agent's counterparties (vault, token, market, governor).`);
    }
  }
}

import { encodeFunctionData, type Address } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import type { SignedReceipt } from '../chain/receipt/receiptTypes.js';
import type { AgentCall } from '../chain/wallet/createAgentWallet.js';
import type { BondClaim } from './checkBondClaim.js';

const unsigned = (receipt: SignedReceipt) => {
  const { signature, ...rest } = receipt;
  return [rest, signature] as const;
};

/**
 * The one market call of a bond claim (see {@link checkBondClaim}), sent from the agent's account.
 *
 * @param claim The checked claim.
 * @param market The ComputeMarket contract.
 * @returns The call.
 * @example const calls = encodeBondClaim({ action: 'slash_over_redemption', channelId }, market);
 */
export function encodeBondClaim(claim: BondClaim, market: Address): AgentCall[] {
  switch (claim.action) {
    case 'accuse_over_redemption':
      return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'accuseOverRedemption', args: unsigned(claim.receipt) }) }];
    case 'slash_over_redemption':
      return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'slashOverRedemption', args: [claim.channelId] }) }];
    case 'prove_double_signing':
      return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'proveDoubleSigning', args: [...unsigned(claim.a), ...unsigned(claim.b)] }) }];
  }
}

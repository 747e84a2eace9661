import { isAddressEqual, type Address, type PublicClient } from 'viem';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { recoverReceiptSigner } from '../chain/receipt/recoverReceiptSigner.js';
import type { SignedReceipt } from '../chain/receipt/receiptTypes.js';
import { BondClaimRefusedError, ChannelNotOwnedError } from './errors.js';

/** A claim on a provider's bond from its signed receipts (actions of the guarded executor). */
export type BondClaim =
  /** The provider redeemed more on the agent's channel than the `spentAfter` of this receipt it signed. */
  | { action: 'accuse_over_redemption'; receipt: SignedReceipt }
  /** The accusation's response window ended unanswered: the bond goes to the channel's payer, the agent's account. */
  | { action: 'slash_over_redemption'; channelId: bigint }
  /** Two receipts of the provider for the same step of the agent's channel with different totals. */
  | { action: 'prove_double_signing'; a: SignedReceipt; b: SignedReceipt };

/** Parameters of {@link checkBondClaim}. */
export type CheckBondClaimParameters = {
  claim: BondClaim;
  publicClient: PublicClient;
  market: Address;
  /** The agent's account: the payer of every channel it claims on (the market pays the bond to that payer). */
  tba: Address;
  /** Chain time, unix seconds. */
  now: () => Promise<number>;
};

/**
 * Checks a bond claim before anything is signed, so the key never spends gas on a claim the market
 * would refuse (gas is value): the channel is the agent's own; each receipt is for it and recovers to
 * its provider; an accusation needs on-chain `redeemed` above the receipt's `spentAfter` and no open
 * accusation; a slash needs an open accusation whose window has ended; double signing needs the same
 * step with two totals. Who is paid is not an argument of any of these calls: the market pays the
 * channel's payer, which this check holds to be the agent's account.
 *
 * @param parameters The claim, the chain and the agent's account.
 * @throws {ChannelNotOwnedError} When the channel is not the agent's.
 * @throws {BondClaimRefusedError} When the claim would fail or accuse falsely.
 * @example await checkBondClaim({ claim: { action: 'slash_over_redemption', channelId }, publicClient, market, tba, now });
 */
export async function checkBondClaim(parameters: CheckBondClaimParameters): Promise<void> {
  const { claim, publicClient, market, tba } = parameters;
  const channelId = claim.action === 'slash_over_redemption' ? claim.channelId : claim.action === 'accuse_over_redemption' ? claim.receipt.channelId : claim.a.channelId;
  const channel = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
  if (!isAddressEqual(channel.payer, tba)) throw new ChannelNotOwnedError(`Channel ${channelId} is not one of the agent's channels.`);
  const chainId = await publicClient.getChainId();
  const signedByProvider = async (receipt: SignedReceipt) => {
    if (receipt.channelId !== channelId) throw new BondClaimRefusedError(`A receipt for channel ${receipt.channelId} cannot back a claim on channel ${channelId}.`);
    const signer = await recoverReceiptSigner({ chainId, market, receipt }).catch(() => undefined);
    if (!signer || !isAddressEqual(signer, channel.provider)) throw new BondClaimRefusedError(`The receipt for channel ${channelId} is not signed by its provider ${channel.provider}.`);
  };
  const [openSpent, deadline] = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'accusationOf', args: [channelId] });
  switch (claim.action) {
    case 'accuse_over_redemption': {
      await signedByProvider(claim.receipt);
      if (channel.redeemed <= claim.receipt.spentAfter) {
        throw new BondClaimRefusedError(`Channel ${channelId}: the provider redeemed ${channel.redeemed}, not more than the ${claim.receipt.spentAfter} it signed for; that accusation would be false.`);
      }
      if (deadline !== 0n) throw new BondClaimRefusedError(`Channel ${channelId} already has an open accusation (for ${openSpent}).`);
      return;
    }
    case 'slash_over_redemption': {
      if (deadline === 0n) throw new BondClaimRefusedError(`Channel ${channelId} has no open accusation to slash on.`);
      const now = await parameters.now();
      if (BigInt(now) <= deadline) throw new BondClaimRefusedError(`Channel ${channelId}: the provider may answer until ${deadline} (chain time now ${now}).`);
      return;
    }
    case 'prove_double_signing': {
      await signedByProvider(claim.a);
      await signedByProvider(claim.b);
      if (claim.a.spentAfter === claim.b.spentAfter || claim.a.spentAfter - claim.a.cost !== claim.b.spentAfter - claim.b.cost) {
        throw new BondClaimRefusedError(`Channel ${channelId}: the two receipts are not two totals for the same step.`);
      }
      return;
    }
  }
}

import type { Account, Address, Chain, Client, Hash, Transport } from 'viem';
import { waitForTransactionReceipt, writeContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { SignedReceipt } from '../../chain/receipt/receiptTypes.js';
import { AgentError } from '../../core/AgentError.js';

/** Parameters of {@link accuseOverRedemption}. */
export type AccuseOverRedemptionParameters = {
  /** The ComputeMarket contract. */
  market: Address;
  /** The provider's receipt with the highest `spentAfter` the payer holds for the channel. */
  receipt: SignedReceipt;
};

/**
 * Accuses a bonded provider of redeeming more on a channel than the last `spentAfter` it signed: sends
 * `accuseOverRedemption` from the channel's payer with that receipt. Unless the provider answers with a
 * receipt continuing the chain within the market's response window, `slashOverRedemption` sends its bond
 * to the payer.
 *
 * @param client The channel payer's wallet client.
 * @param parameters The market and the receipt.
 * @returns The accusation's transaction hash (mined).
 * @example await accuseOverRedemption(payer, { market, receipt: latest });
 */
export async function accuseOverRedemption(client: Client<Transport, Chain, Account>, parameters: AccuseOverRedemptionParameters): Promise<Hash> {
  const { signature, ...receipt } = parameters.receipt;
  const hash = await writeContract(client, {
    address: parameters.market,
    abi: computeMarketAbi,
    functionName: 'accuseOverRedemption',
    args: [receipt, signature],
    chain: client.chain,
    account: client.account,
  });
  const mined = await waitForTransactionReceipt(client, { hash });
  if (mined.status !== 'success') throw new AgentError('The over-redemption accusation reverted.', { details: `transaction ${hash}` });
  return hash;
}

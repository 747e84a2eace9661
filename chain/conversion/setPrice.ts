import { parseUnits, type Account, type Address, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from 'viem';
import { priceFeedAbi } from '../abi/generated/priceFeed.js';
import { AgentError } from '../../core/AgentError.js';
import { confirmTransaction } from '../confirmTransaction.js';

/** Parameters of {@link setPrice}. */
export type SetPriceParameters = {
  /** The PriceFeed the devnet owns. */
  feed: Address;
  /** The price as a decimal string in the feed's unit, e.g. "3000" or "2987.5" (USD per ETH). */
  price: string;
};

/**
 * Publishes a new round on the devnet's Chainlink-style price feed (`y2c price set`): only its
 * owner may. A fresh round is also what un-stales the converter's oracle.
 *
 * @param clients Public client and the feed owner's wallet client.
 * @param parameters Feed and price.
 * @returns The transaction and the answer written (with the feed's decimals).
 */
export async function setPrice(
  clients: { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> },
  parameters: SetPriceParameters,
): Promise<{ hash: Hash; answer: bigint }> {
  const { publicClient, walletClient } = clients;
  if (!/^\d+(\.\d+)?$/.test(parameters.price.trim()) || !(Number(parameters.price) > 0)) {
    throw new AgentError(`A price is a positive decimal number, e.g. 3000, not "${parameters.price}".`);
  }
  const decimals = await publicClient.readContract({ address: parameters.feed, abi: priceFeedAbi, functionName: 'decimals' });
  const answer = parseUnits(parameters.price.trim(), decimals);
  const owner = await publicClient.readContract({ address: parameters.feed, abi: priceFeedAbi, functionName: 'owner' });
  if (owner.toLowerCase() !== walletClient.account.address.toLowerCase()) {
    throw new AgentError(`Only the feed's owner ${owner} may set its price, not ${walletClient.account.address}.`, {
      details: 'On the devnet the owner is dev account 0: y2c price set <usd> --dev-account 0.',
    });
  }
  const receipt = await confirmTransaction(
    publicClient,
    await walletClient.writeContract({ address: parameters.feed, abi: priceFeedAbi, functionName: 'setPrice', args: [answer] }),
    'Setting the price',
  );
  return { hash: receipt.transactionHash, answer };
}

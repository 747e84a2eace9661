import { erc20Abi, type Account, type Address, type Chain, type Client, type Hash, type Transport } from 'viem';
import { readContract, waitForTransactionReceipt, writeContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { ProviderRegistrationError } from './ProviderRegistrationError.js';

/** Parameters of {@link ensureBond}. */
export type EnsureBondParameters = {
  /** The ComputeMarket contract (it holds the bonds). */
  market: Address;
  /** The payment token (the bond's token). */
  token: Address;
  /** Token units the provider must hold bonded. */
  amount: bigint;
  /** Local devnet: draw a missing balance from the USDx faucet first. */
  faucet?: boolean;
};

/** Return type of {@link ensureBond}: the bond now held and what was added. */
export type EnsureBondReturnType = { bonded: bigint; deposited: bigint };

/**
 * Tops the provider's bond in the market up to `amount` (approve, then `depositBond` of the shortfall);
 * nothing is sent when it already holds that much. A bond is what a payer takes when it proves from the
 * provider's signed receipts that it redeemed more than it signed for, so agents require one
 * (`agent.minProviderBond`) before they fund a channel. Frontends of a fleet share the key: one that loses
 * the nonce race re-reads the bond and is done when another frontend filled it.
 *
 * @param client Wallet client of the provider's key.
 * @param parameters Market, token, amount, faucet.
 * @returns The bond held and the amount deposited now.
 * @throws {ProviderRegistrationError} When a transaction fails and the bond is still short.
 * @example await ensureBond(client, { market, token: usdx, amount: 10_000_000n, faucet: true });
 */
export async function ensureBond(client: Client<Transport, Chain, Account>, parameters: EnsureBondParameters): Promise<EnsureBondReturnType> {
  const { market, token, amount } = parameters;
  const provider = client.account.address;
  const bonded = async () => (await readContract(client, { address: market, abi: computeMarketAbi, functionName: 'bondOf', args: [provider] })).bonded;
  const held = await bonded();
  if (held >= amount) return { bonded: held, deposited: 0n };
  const shortfall = amount - held;
  const send = async (hash: Promise<Hash>, what: string) => {
    const receipt = await waitForTransactionReceipt(client, { hash: await hash });
    if (receipt.status !== 'success') throw new ProviderRegistrationError(`${what} reverted.`, { details: `tx ${receipt.transactionHash}` });
  };
  try {
    if (parameters.faucet) {
      const balance = await readContract(client, { address: token, abi: erc20Abi, functionName: 'balanceOf', args: [provider] });
      if (balance < shortfall) {
        await send(writeContract(client, { address: token, abi: usdxAbi, functionName: 'faucet', args: [provider, shortfall - balance], chain: client.chain, account: client.account }), 'The USDx faucet');
      }
    }
    await send(writeContract(client, { address: token, abi: erc20Abi, functionName: 'approve', args: [market, shortfall], chain: client.chain, account: client.account }), 'Approving the bond');
    await send(writeContract(client, { address: market, abi: computeMarketAbi, functionName: 'depositBond', args: [shortfall], chain: client.chain, account: client.account }), 'depositBond');
  } catch (error) {
    const now = await bonded();
    if (now >= amount) return { bonded: now, deposited: 0n };
    throw new ProviderRegistrationError(`Could not bond ${amount} token units in the market (holds ${now}).`, {
      cause: error,
      details: `Fund the provider's key ${provider} with the payment token, or lower provider.bond. ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : ''}`,
    });
  }
  return { bonded: await bonded(), deposited: shortfall };
}

import type { Account, Address, Chain, Client, Hash, Transport } from 'viem';
import { waitForTransactionReceipt, writeContract } from 'viem/actions';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { ProviderRegistrationError } from './ProviderRegistrationError.js';
import { firstLine } from '../../core/firstLine.js';

/** Return type of {@link sendRegistryCall}. */
export type SendRegistryCallReturnType = { txHash: Hash };

/**
 * Sends one registry call and waits for it (shared by register, update and deregister).
 *
 * @param client Wallet client of the provider's key.
 * @param market The ComputeMarket contract.
 * @param functionName The registry function.
 * @param args Its arguments.
 * @returns The transaction hash.
 * @throws {ProviderRegistrationError}
 */
export async function sendRegistryCall(
  client: Client<Transport, Chain, Account>,
  market: Address,
  functionName: 'registerProvider' | 'updateProvider' | 'deregisterProvider',
  args: readonly unknown[],
): Promise<SendRegistryCallReturnType> {
  let txHash: Hash;
  try {
    txHash = await writeContract(client, {
      address: market,
      abi: computeMarketAbi,
      functionName,
      args,
      chain: client.chain,
      account: client.account,
    } as Parameters<typeof writeContract>[1]);
  } catch (cause) {
    throw new ProviderRegistrationError(`${functionName} failed.`, { cause, details: cause instanceof Error ? firstLine(cause) : undefined });
  }
  const receipt = await waitForTransactionReceipt(client, { hash: txHash });
  if (receipt.status !== 'success') throw new ProviderRegistrationError(`${functionName} reverted.`, { details: `tx ${txHash}` });
  return { txHash };
}

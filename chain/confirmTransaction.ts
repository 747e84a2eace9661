import type { Hash, PublicClient, TransactionReceipt } from 'viem';
import { TransactionRevertedError } from './errors.js';

/**
 * Waits for a transaction and checks it: a reverted transaction is a failure, never a success.
 *
 * @param publicClient Client of the chain.
 * @param hash The transaction.
 * @param what The action, for the error message ("The stake").
 * @returns The successful receipt.
 * @throws {TransactionRevertedError} When the transaction reverted.
 */
export async function confirmTransaction(publicClient: PublicClient, hash: Hash, what: string): Promise<TransactionReceipt> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== 'success') throw new TransactionRevertedError(`${what} reverted (transaction ${hash}).`);
  return receipt;
}

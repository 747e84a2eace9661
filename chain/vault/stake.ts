import { formatUnits, type Account, type Address, type Chain, type Hash, type PublicClient, type Transport, type WalletClient } from 'viem';
import { usdxAbi } from '../abi/generated/usdx.js';
import { yieldVaultAbi } from '../abi/generated/yieldVault.js';
import { AgentError } from '../../core/AgentError.js';
import { confirmTransaction } from '../confirmTransaction.js';
import { InsufficientBalanceError } from '../errors.js';
import { gasWithHeadroom } from '../gasWithHeadroom.js';

/** Parameters of {@link stake}. */
export type StakeParameters = {
  /** The agent's vault. */
  vault: Address;
  /** The staked asset. */
  asset: Address;
  /** Amount in the asset's smallest units (> 0). */
  amount: bigint;
  /** Local devnet only: draw what is missing from the USDx faucet. */
  useFaucet?: boolean;
};

/** What {@link stake} did. */
export type StakeReturnType = { hash: Hash; principal: bigint; unlocksAt: bigint };

/**
 * Stakes into the agent's vault as the wallet client's account: checks the balance first (a clear
 * error, nothing sent), approves exactly the amount when needed, stakes, and checks the receipt.
 *
 * @param clients Public client and the staker's wallet client.
 * @param parameters Vault, asset, amount.
 * @returns The stake transaction, the new principal and when it unlocks.
 */
export async function stake(
  clients: { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> },
  parameters: StakeParameters,
): Promise<StakeReturnType> {
  const { publicClient, walletClient } = clients;
  const { vault, asset, amount } = parameters;
  const me = walletClient.account.address;
  if (amount <= 0n) throw new AgentError('The amount to stake must be greater than zero.');
  const confirm = async (hash: Hash, what: string) => (await confirmTransaction(publicClient, hash, what)).transactionHash;
  let balance = await publicClient.readContract({ address: asset, abi: usdxAbi, functionName: 'balanceOf', args: [me] });
  if (balance < amount && parameters.useFaucet) {
    const cap = await publicClient.readContract({ address: asset, abi: usdxAbi, functionName: 'FAUCET_CAP' });
    if (amount - balance > cap) {
      throw new InsufficientBalanceError(
        `Cannot stake ${formatUnits(amount, 6)} USDx: ${me} holds ${formatUnits(balance, 6)} and the devnet faucet gives at most ${formatUnits(cap, 6)} USDx at a time.`,
        { details: `Stake at most ${formatUnits(balance + cap, 6)}, or stake in several smaller steps (each draws up to the cap). Nothing was sent.` },
      );
    }
    await confirm(
      await walletClient.writeContract({ address: asset, abi: usdxAbi, functionName: 'faucet', args: [me, amount - balance] }),
      'The faucet',
    );
    balance = amount;
  }
  if (balance < amount) {
    throw new InsufficientBalanceError(`Not enough to stake: ${formatUnits(amount, 6)} asked, ${formatUnits(balance, 6)} held by ${me}.`);
  }
  const allowance = await publicClient.readContract({ address: asset, abi: usdxAbi, functionName: 'allowance', args: [me, vault] });
  if (allowance < amount) {
    await confirm(
      await walletClient.writeContract({ address: asset, abi: usdxAbi, functionName: 'approve', args: [vault, amount] }),
      'The approval',
    );
  }
  const hash = await confirm(
    await walletClient.writeContract({
      address: vault,
      abi: yieldVaultAbi,
      functionName: 'stake',
      args: [amount],
      gas: gasWithHeadroom(await publicClient.estimateContractGas({ account: walletClient.account, address: vault, abi: yieldVaultAbi, functionName: 'stake', args: [amount] })),
    }),
    'The stake',
  );
  const [principal, unlocksAt] = await Promise.all([
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [me] }),
    publicClient.readContract({ address: vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [me] }),
  ]);
  return { hash, principal, unlocksAt: BigInt(unlocksAt) };
}

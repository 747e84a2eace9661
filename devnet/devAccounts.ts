import { mnemonicToAccount, type HDAccount } from 'viem/accounts';
import { toHex, type Hex } from 'viem';

/** anvil's default mnemonic: its dev accounts are funded with 10,000 ETH each. Local only. */
export const devMnemonic = 'test test test test test test test test test test test junk';

/** Roles of the anvil dev accounts on the local devnet. */
export const devRoles = {
  /** Deploys contracts; owns the agent NFT (the agent's owner). */
  owner: 0,
  /** Bundler executor. */
  bundlerExecutor: 1,
  /** Bundler utility account. */
  bundlerUtility: 2,
  /** The local compute provider. */
  provider: 3,
  /** First demo staker; stakers use the following indices. */
  firstStaker: 4,
} as const;

/**
 * The anvil dev account at an index, with its private key.
 *
 * @param index Address index of the default mnemonic (0-19).
 * @returns The account and its private key.
 */
export function devAccount(index: number): { account: HDAccount; privateKey: Hex } {
  const account = mnemonicToAccount(devMnemonic, { addressIndex: index });
  const key = account.getHdKey().privateKey;
  if (!key) throw new Error(`no private key for dev account ${index}`);
  return { account, privateKey: toHex(key) };
}

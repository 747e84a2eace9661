import type { Address, Client } from 'viem';
import { readContract } from 'viem/actions';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';

const aprAbi = [{ type: 'function', name: 'aprBps', stateMutability: 'view', inputs: [], outputs: [{ type: 'uint16' }] }] as const;

/** Parameters of {@link readSourceAprBps}. */
export type ReadSourceAprBpsParameters = {
  client: Client;
  /** The agent's vault. */
  vault: Address;
  /** Used when the vault's source does not publish `aprBps()` (most real ERC-4626 vaults). */
  fallbackBps: number;
};

/**
 * The yield rate of the vault's ERC-4626 source in basis points per year: `aprBps()` where the
 * source publishes it (sUSDx on the devnet), else the fallback (config `devnet.aprBps`, or an
 * operator's estimate). Feeds the quota restore estimate.
 *
 * @param parameters Client, vault, fallback.
 * @returns Basis points per year.
 * @example const apr = await readSourceAprBps({ client, vault, fallbackBps: config.devnet.aprBps })
 */
export async function readSourceAprBps(parameters: ReadSourceAprBpsParameters): Promise<number> {
  const { client, vault, fallbackBps } = parameters;
  try {
    const source = await readContract(client, { address: vault, abi: yieldVaultAbi, functionName: 'source' });
    return await readContract(client, { address: source, abi: aprAbi, functionName: 'aprBps' });
  } catch {
    return fallbackBps;
  }
}

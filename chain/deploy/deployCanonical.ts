import type { Account, Address, Chain, PublicClient, Transport, WalletClient } from 'viem';
import { entryPointBytecode } from '../abi/generated/entryPoint.js';
import { erc6551RegistryInitCode, erc6551RegistrySalt } from '../abi/generated/erc6551RegistryDeployment.js';
import { DeploymentFailedError, deployCreate2 } from './deployCreate2.js';

/** Canonical address of the ERC-6551 registry (EIP-6551). */
export const erc6551RegistryAddress: Address = '0x000000006551c19487814612e58FE06813775758';
/** Canonical address of the ERC-4337 EntryPoint v0.7. */
export const entryPointAddress: Address = '0x0000000071727De22E5E9d8BAf0edAc6f37da032';
/** The salt that puts EntryPoint v0.7 at its canonical address through the deterministic deployer. */
const entryPointSalt = '0x90d8084deab30c2a37c45e8d47f49f2f7965183cb6990a98943ef94940681de3';

/** What {@link deployCanonical} found or deployed. */
export type DeployCanonicalReturnType = {
  /** The ERC-6551 registry. */
  erc6551Registry: Address;
  /** The EntryPoint v0.7. */
  entryPoint: Address;
  /** Names of what was deployed now (empty on a second run). */
  deployed: string[];
};

/**
 * Places the ERC-6551 registry and the EntryPoint v0.7 at their canonical addresses, from their
 * canonical init code through the deterministic deployer. Idempotent.
 *
 * @param clients Public client to read, wallet client to pay.
 * @returns Both addresses and what was deployed.
 */
export async function deployCanonical(clients: {
  publicClient: PublicClient;
  walletClient: WalletClient<Transport, Chain, Account>;
}): Promise<DeployCanonicalReturnType> {
  const deployed: string[] = [];
  const registry = await deployCreate2(clients, {
    name: 'ERC6551Registry',
    salt: erc6551RegistrySalt,
    initCode: erc6551RegistryInitCode,
  });
  if (registry.address.toLowerCase() !== erc6551RegistryAddress.toLowerCase()) {
    throw new DeploymentFailedError(`The ERC-6551 registry landed at ${registry.address}, not its canonical address.`);
  }
  if (registry.deployed) deployed.push('ERC6551Registry');
  const entryPoint = await deployCreate2(clients, { name: 'EntryPoint', salt: entryPointSalt, initCode: entryPointBytecode });
  if (entryPoint.address.toLowerCase() !== entryPointAddress.toLowerCase()) {
    throw new DeploymentFailedError(`The EntryPoint landed at ${entryPoint.address}, not its canonical address.`);
  }
  if (entryPoint.deployed) deployed.push('EntryPoint');
  return { erc6551Registry: erc6551RegistryAddress, entryPoint: entryPointAddress, deployed };
}

import { encodeDeployData } from 'viem';
import { identityRegistryAbi, identityRegistryBytecode } from '../abi/generated/identityRegistry.js';
import { reputationRegistryAbi, reputationRegistryBytecode } from '../abi/generated/reputationRegistry.js';
import { deployCreate2 } from './deployCreate2.js';
import type { DeployClients } from './deployContracts.js';
import type { Erc8004Deployment } from './deployment.js';
import { saltFor } from './saltFor.js';

/** What {@link deployErc8004} found or deployed. */
export type DeployErc8004ReturnType = Erc8004Deployment & {
  /** Names deployed now (empty on a second run). */
  deployed: string[];
};

/**
 * Deploys our ERC-8004 Identity and Reputation registries (written from the ERC; no npm package
 * ships their bytecode) at deterministic CREATE2 addresses, for the devnet. Real networks use the
 * canonical deployments named by their preset instead. Idempotent.
 *
 * @param clients Public client to read, wallet client to pay.
 * @returns Both addresses and what was deployed now.
 */
export async function deployErc8004(clients: DeployClients): Promise<DeployErc8004ReturnType> {
  const deployed: string[] = [];
  const identity = await deployCreate2(clients, {
    name: 'IdentityRegistry',
    salt: saltFor('ERC8004/IdentityRegistry'),
    initCode: encodeDeployData({ abi: identityRegistryAbi, bytecode: identityRegistryBytecode }),
  });
  if (identity.deployed) deployed.push('IdentityRegistry');
  const reputation = await deployCreate2(clients, {
    name: 'ReputationRegistry',
    salt: saltFor('ERC8004/ReputationRegistry'),
    initCode: encodeDeployData({ abi: reputationRegistryAbi, bytecode: reputationRegistryBytecode, args: [identity.address] }),
  });
  if (reputation.deployed) deployed.push('ReputationRegistry');
  return { identityRegistry: identity.address, reputationRegistry: reputation.address, deployed };
}

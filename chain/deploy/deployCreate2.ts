import {
  concat,
  getContractAddress,
  type Account,
  type Address,
  type Chain,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem';
import { AgentError } from '../../core/AgentError.js';

/** The deterministic deployment proxy present on anvil and on most public chains. */
export const deterministicDeployer: Address = '0x4e59b44847b379578588920cA78FbF26c0B4956C';

/** Parameters of {@link deployCreate2}. */
export type DeployCreate2Parameters = {
  /** 32-byte salt. */
  salt: Hex;
  /** Creation code with constructor arguments appended. */
  initCode: Hex;
  /** Name for messages. */
  name: string;
};

/** What {@link deployCreate2} did. */
export type DeployCreate2ReturnType = {
  /** The contract's deterministic address. */
  address: Address;
  /** False when code was already there (nothing sent). */
  deployed: boolean;
  /** Gas of the deployment transaction, when one was sent. */
  gasUsed?: bigint;
};

/** A deployment did not leave code at the predicted address. */
export class DeploymentFailedError extends AgentError {
  override name = 'DeploymentFailedError' as const;
}

/**
 * Deploys a contract through the deterministic deployer unless it is already there, so running it
 * twice deploys nothing the second time.
 *
 * @param clients The public client to read with and the wallet client that pays.
 * @param parameters Salt, init code and a name.
 * @returns The address and whether a transaction was sent.
 * @example await deployCreate2({ publicClient, walletClient }, { name: 'USDx', salt, initCode })
 */
export async function deployCreate2(
  clients: { publicClient: PublicClient; walletClient: WalletClient<Transport, Chain, Account> },
  parameters: DeployCreate2Parameters,
): Promise<DeployCreate2ReturnType> {
  const { publicClient, walletClient } = clients;
  const { salt, initCode, name } = parameters;
  const address = getContractAddress({ opcode: 'CREATE2', from: deterministicDeployer, salt, bytecode: initCode });
  const existing = await publicClient.getCode({ address });
  if (existing && existing !== '0x') return { address, deployed: false };
  const deployerCode = await publicClient.getCode({ address: deterministicDeployer });
  if (!deployerCode || deployerCode === '0x') {
    throw new DeploymentFailedError(`The deterministic deployer is missing on this chain; cannot deploy ${name}.`, {
      details: `Expected code at ${deterministicDeployer}.`,
    });
  }
  const hash = await walletClient.sendTransaction({ to: deterministicDeployer, data: concat([salt, initCode]) });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const code = await publicClient.getCode({ address });
  if (receipt.status !== 'success' || !code || code === '0x') {
    throw new DeploymentFailedError(`Deploying ${name} failed (transaction ${hash}).`, { details: `status: ${receipt.status}` });
  }
  return { address, deployed: true, gasUsed: receipt.gasUsed };
}

import { createPublicClient, createWalletClient, http, type PublicClient } from 'viem';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { baseSepolia, foundry } from 'viem/chains';
import { deployWorld, type DeployWorldReturnType } from '../../chain/deploy/deployWorld.js';
import { charterSeed } from '../charterSeed.js';
import { AgentError } from '../../core/AgentError.js';
import type { Config } from '../../config/types.js';
import { roleAccount } from '../roleAccount.js';
import { readRuntime } from '../runtime.js';

/** Parameters of {@link deploy}. */
export type DeployParameters = { onStep?: (step: string) => void };

/**
 * `y2c deploy`: deploys y2c's contracts at deterministic addresses and bootstraps the agent on the
 * configured chain (locally the running devnet, owner dev account 0; on a real network the RPC from
 * config and the owner key from `Y2C_OWNER_KEY`), then writes `dataDir/deployment.json`.
 * Idempotent: what is already there is not deployed again.
 *
 * @param config Loaded config.
 * @param parameters Progress callback.
 * @returns The deployment and what was deployed now.
 */
export async function deploy(config: Config, parameters: DeployParameters = {}): Promise<DeployWorldReturnType> {
  const local = config.network === 'local';
  const rpcUrl = config.chain.rpcUrl ?? (local ? readRuntime(config.dataDir).rpcUrl : undefined);
  if (!rpcUrl) throw new AgentError('No RPC URL.', { details: 'Set chain.rpcUrl in y2c.config.json or Y2C_RPC_URL.' });
  const account = roleAccount(config, 'owner');
  const chain = local ? foundry : baseSepolia;
  const pollingInterval = local ? 100 : 2_000;
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl), pollingInterval }) as PublicClient;
  const walletClient = createWalletClient({ account, chain, transport: http(rpcUrl), pollingInterval });
  const chainId = await publicClient.getChainId();
  if (chainId !== config.chain.id) {
    throw new AgentError(`The RPC serves chain ${chainId}, but network "${config.network}" is chain ${config.chain.id}.`);
  }
  return deployWorld(
    { publicClient, walletClient },
    {
      dataDir: config.dataDir,
      aprBps: config.devnet.aprBps,
      lockPeriodSeconds: BigInt(config.devnet.lockPeriodSeconds),
      challengePeriodSeconds: 3_600n,
      dailyTokenBudget: config.agent.caps.dailyComputeBudget,
      sessionLifetimeSeconds: 30 * 86_400,
      trustedProviders: local ? [...config.agent.trustedProviders, devAccount(devRoles.provider).account.address] : config.agent.trustedProviders,
      x402Sellers: config.agent.x402.sellers,
      ...(parameters.onStep ? { onStep: parameters.onStep } : {}),
      owner: config.governance.owner,
      ...(config.chain.erc8004 ? { erc8004: config.chain.erc8004 } : {}),
      governance: {
        charter: charterSeed(config),
        chatEndpoint: `http://${config.agent.chat.host}:${config.agent.chat.port}`,
        // Local: minutes with `y2c warp`; a real network: days, so members can notice and answer.
        settings: local
          ? { votingDelay: 300, votingPeriod: 86_400, proposalThreshold: 1_000_000n, quorumPercent: 4n, lateQuorumExtension: 3_600, timelockDelay: 86_400n }
          : { votingDelay: 86_400, votingPeriod: 5 * 86_400, proposalThreshold: 1_000_000n, quorumPercent: 4n, lateQuorumExtension: 86_400, timelockDelay: 2n * 86_400n },
        ...(config.governance.guardian ? { guardianKeeper: config.governance.guardian } : {}),
      },
    },
  );
}

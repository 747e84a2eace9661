import type { Address, PublicClient } from 'viem';
import type { AgentWallet } from '../chain/wallet/createAgentWallet.js';
import type { OpenAgentMemoryReturnType } from '../memory/openAgentMemory.js';
import type { AgentDeployment } from '../guard/AgentDeployment.js';
import type { GuardedExecutor } from '../guard/createGuardedExecutor.js';

/** What every y2c tool depends on: interfaces, never the daemon. */
export type Y2cToolContext = {
  /** The agent's wallet (reads its addresses; writes go through `guard`). */
  wallet: Pick<AgentWallet, 'address' | 'sessionKey'>;
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels' | 'kv'>;
  /** The one executor every write goes through. */
  guard: GuardedExecutor;
  /** Payment token display (default USDx, 6 decimals). */
  token: { symbol: string; decimals: number };
  /** ERC-8004 clients whose provider feedback counts (the agent's TBA and config `agent.reputationClients`). */
  reputationClients?: readonly Address[];
};

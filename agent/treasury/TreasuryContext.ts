import type { Address, PublicClient } from 'viem';
import type { AgentWallet } from '../../chain/wallet/createAgentWallet.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { PayingStore } from '../../tools/compute/PayingStore.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';
import type { GuardedExecutor } from '../../guard/createGuardedExecutor.js';
import type { TreasuryParams } from '../policy/types.js';

/** What the treasury job reads and acts with. */
export type TreasuryContext = {
  wallet: Pick<AgentWallet, 'address' | 'sessionKey'>;
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels' | 'kv' | 'calls'>;
  guard: GuardedExecutor;
  /** The paying client's ledger (spent per channel, costs for the burn rate), when the brain pays. */
  payingStore: PayingStore | undefined;
  /** The policy's tuning. */
  params: TreasuryParams;
  runwayTargetHours: number;
  /** Token units. */
  minHarvest: bigint;
  /** Token units per ETH. */
  ethPriceInToken: bigint;
  /** ERC-8004 clients whose provider feedback counts; their average score is one input of the provider choice. */
  reputationClients?: readonly Address[];
  /** Milliseconds since the epoch by the clock memory and the paying store stamp with (default wall clock; a simulation passes chain time). */
  now?: () => number;
};

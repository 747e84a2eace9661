import type { Address, PublicClient } from 'viem';
import type { AgentWallet } from '../chain/wallet/createAgentWallet.js';
import type { OpenAgentMemoryReturnType } from '../memory/openAgentMemory.js';
import type { AgentDeployment } from './AgentDeployment.js';
import type { GuardPolicy } from './GuardPolicy.js';

/** What the guard's steps share: the wallet, the chain, the deployment's addresses, the journal and the policy. */
export type GuardContext = {
  wallet: AgentWallet;
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels'>;
  policy: GuardPolicy;
  /** Unix seconds. */
  now: () => number;
  /** The ComputeMarket. */
  market: Address;
  /** The payment token. */
  token: Address;
  /** The agent's vault. */
  vault: Address;
  /** The agent's account (TBA). */
  tba: Address;
};

import type { Address, Hash, Hex } from 'viem';
import { checkGuardedAction } from './checkGuardedAction.js';
import { depositedToday } from './depositedToday.js';
import type { GuardContext } from './GuardContext.js';
import type { GuardedActionName, GuardPolicy } from './GuardPolicy.js';
import { runGuardedAction } from './runGuardedAction.js';
import { nowSeconds } from '../core/clock.js';
import type { BondClaim } from './checkBondClaim.js';

/** One write the agent may make. Amounts in token units (wei for gas). */
export type GuardedAction =
  | { action: 'harvest' }
  | { action: 'open'; provider: Address; amount: bigint }
  | { action: 'top_up'; channelId: bigint; amount: bigint }
  | { action: 'request_close'; channelId: bigint }
  | { action: 'finalize'; channelId: bigint }
  | { action: 'refill_gas'; amountWei: bigint }
  /** Points the agent's ERC-8004 identity (owned by its TBA) at a new registration file. */
  | { action: 'publish_identity'; agentId: bigint; uri: string }
  /** Posts ERC-8004 feedback on a provider's agent id (`value` at `valueDecimals`). */
  | { action: 'rate_provider'; providerAgentId: bigint; value: bigint; valueDecimals: number; tag1: string; tag2: string; endpoint: string; feedbackURI: string; feedbackHash: Hex }
  /** A proposal to the agent's community (governor `propose`): calls to the charter or the agent's own account only. */
  | { action: 'propose'; targets: readonly Address[]; values: readonly bigint[]; calldatas: readonly Hex[]; description: string }
  | { action: 'x402_deposit'; channel: X402ChannelConfig; amount: bigint }
  | BondClaim;

/** An x402 `batch-settlement` channel's terms (`ChannelConfig` of the escrow). */
export type X402ChannelConfig = {
  payer: Address;
  payerAuthorizer: Address;
  receiver: Address;
  receiverAuthorizer: Address;
  token: Address;
  withdrawDelay: number;
  salt: `0x${string}`;
};

/** Who asked: the treasury policy or the model (through a tool). */
export type GuardedOrigin = 'policy' | 'llm' | 'operator';

/** What a confirmed write did. */
export type GuardedReceipt = {
  ledgerId: number;
  action: GuardedActionName;
  transactionHash: Hash;
  blockNumber: bigint;
  gasUsed: bigint;
  /** Token units moved (harvested, deposited, refunded), when known. */
  amount: bigint | undefined;
  /** The channel opened or acted on. */
  channelId: bigint | undefined;
  /** The proposal filed (action `propose`). */
  proposalId?: bigint;
};

/** Parameters of {@link createGuardedExecutor}. */
export type CreateGuardedExecutorParameters = Pick<GuardContext, 'wallet' | 'publicClient' | 'deployment' | 'memory' | 'policy'> & {
  /** Unix seconds (default wall clock). */
  now?: () => number;
};

/** The guarded executor: the one way the agent writes on chain. */
export type GuardedExecutor = {
  /** The policy in force. */
  policy: GuardPolicy;
  /** Deposits still allowed over the rolling 24 hours, token units. */
  remainingToday: () => bigint;
  /** Checks an action against the code policy without sending anything; throws the typed refusal. */
  check: (action: GuardedAction) => Promise<void>;
  /** Checks, journals the intent, sends through the session key, and journals the outcome. */
  execute: (action: GuardedAction, options: { reason: string; origin: GuardedOrigin }) => Promise<GuardedReceipt>;
};

/**
 * The one executor every write of the agent goes through (the factory holds the context and the
 * write queue; the rules are steps: {@link checkGuardedAction}, {@link runGuardedAction}), policy or model alike. Before anything is
 * signed it checks the code policy: the action is allowed, channels only with trusted and active
 * providers, deposits within the per-call cap and the rolling 24-hour budget (pending intents
 * count), channels only the agent's own, proposals to its community only about its charter or its
 * own account, with no value, within the charter's proposals per period (the governor's count plus
 * those in flight), and every call only to the vault, the payment token (approving the market), the
 * market or the governor. Then it journals an intent (with the block it starts from,
 * so a crash can be reconciled from the chain), sends through the session key (whose on-chain
 * policy is the second wall), journals the hash as soon as it is known, then the receipt or the failure. Writes are serialized, so
 * the daily budget cannot be raced.
 *
 * @param parameters Wallet, chain, deployment, memory and policy.
 * @returns `check` and `execute`.
 * @example
 * const guard = createGuardedExecutor({ wallet, publicClient, deployment, memory, policy: guardPolicyFromConfig({ config }) });
 * await guard.execute({ action: 'harvest' }, { reason: 'pending yield 12 USDx', origin: 'policy' });
 */
export function createGuardedExecutor(parameters: CreateGuardedExecutorParameters): GuardedExecutor {
  const { wallet, publicClient, deployment, memory, policy } = parameters;
  const context: GuardContext = {
    wallet,
    publicClient,
    deployment,
    memory,
    policy,
    now: parameters.now ?? nowSeconds,
    market: deployment.computeMarket,
    token: deployment.usdx,
    vault: deployment.agent.vault,
    tba: deployment.agent.tba,
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    policy,
    remainingToday: () => {
      const used = depositedToday(context);
      return used >= policy.maxDepositPerDay ? 0n : policy.maxDepositPerDay - used;
    },
    check: (action) => checkGuardedAction(context, action),
    execute: (action, options) => {
      const next = queue.then(() => runGuardedAction(context, action, options));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

import {
  encodeFunctionData,
  getAddress,
  isAddressEqual,
  parseEventLogs,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
  zeroAddress,
} from 'viem';
import { identityRegistryAbi } from '../chain/abi/generated/identityRegistry.js';
import { reputationRegistryAbi } from '../chain/abi/generated/reputationRegistry.js';
import { agentGovernorAbi } from '../chain/abi/generated/agentGovernor.js';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { x402BatchSettlementAbi } from '../chain/abi/generated/x402BatchSettlement.js';
import { x402BatchSettlementAddress } from '../chain/deploy/deployX402.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import type { AgentCall, AgentWallet } from '../chain/wallet/createAgentWallet.js';
import type { OpenAgentMemoryReturnType } from '../memory/openAgentMemory.js';
import type { AgentDeployment } from './AgentDeployment.js';
import {
  ActionNotAllowedError,
  ChannelNotOwnedError,
  ComputeCapExceededError,
  CounterpartyNotAllowedError,
  ProposalLimitError,
  ProposalNotAllowedError,
  UntrustedProviderError,
  X402ChannelRefusedError,
} from './errors.js';
import type { GuardedActionName, GuardPolicy } from './GuardPolicy.js';
import { checkBondClaim, type BondClaim } from './checkBondClaim.js';
import { encodeBondClaim } from './encodeBondClaim.js';

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
export type CreateGuardedExecutorParameters = {
  wallet: AgentWallet;
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'ledger' | 'channels'>;
  policy: GuardPolicy;
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

/** Ledger kind of each action. */
export const ledgerKindOf = {
  harvest: 'harvest',
  open: 'open_channel',
  top_up: 'top_up',
  request_close: 'request_close',
  finalize: 'finalize',
  refill_gas: 'refill_gas',
  publish_identity: 'publish_identity',
  rate_provider: 'rate_provider',
  propose: 'propose',
  x402_deposit: 'x402_deposit',
  accuse_over_redemption: 'accuse_over_redemption',
  slash_over_redemption: 'slash_over_redemption',
  prove_double_signing: 'prove_double_signing',
} as const satisfies Record<GuardedActionName, string>;

const knownActions = new Set<string>(Object.keys(ledgerKindOf));
const day = 86_400;
/** The longest registration URI or feedback string the agent writes on chain (gas is value). */
const maxIdentityBytes = 4_096;
/** Longest proposal text the agent may file (calldata is gas, and members must read it). */
export const maxProposalDescription = 4_000;
/** Most calls one proposal of the agent may carry. */
const maxProposalCalls = 4;

/**
 * The one executor every write of the agent goes through, policy or model alike. Before anything is
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
  const now = parameters.now ?? (() => Math.floor(Date.now() / 1000));
  const market = deployment.computeMarket;
  const token = deployment.usdx;
  const vault = deployment.agent.vault;
  const tba = deployment.agent.tba;
  const governance = deployment.governance;
  let queue: Promise<unknown> = Promise.resolve();

  const depositedToday = (): bigint => {
    const since = now() - day;
    let total = 0n;
    for (const kind of ['open_channel', 'top_up', 'x402_deposit'] as const) {
      for (const entry of memory.ledger.listRecent(1000, kind)) {
        if (entry.createdAt < since || entry.status === 'failed') continue;
        total += entry.amount ?? 0n;
      }
    }
    return total;
  };

  const checkProvider = async (provider: Address) => {
    if (!policy.trustedProviders.some((trusted) => isAddressEqual(trusted, provider))) {
      throw new UntrustedProviderError(`Provider ${provider} is not a trusted provider; the agent only buys compute from ${policy.trustedProviders.join(', ') || 'no one'}.`);
    }
    const info = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getProvider', args: [provider] });
    if (!info.active) throw new UntrustedProviderError(`Provider ${provider} is not active in the market.`);
    const minBond = policy.minProviderBond ?? 0n;
    if (minBond > 0n) {
      const bond = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'bondOf', args: [provider] });
      if (bond.bonded < minBond) throw new UntrustedProviderError(`Provider ${provider} holds a bond of ${bond.bonded} token units, below the agent's minimum of ${minBond}.`);
    }
  };

  const checkDeposit = (amount: bigint) => {
    if (amount <= 0n) throw new ComputeCapExceededError('A deposit must be more than zero.');
    if (amount > policy.maxDepositPerCall) {
      throw new ComputeCapExceededError(`A deposit of ${amount} is above the per-call cap of ${policy.maxDepositPerCall} token units.`);
    }
    const today = depositedToday();
    if (today + amount > policy.maxDepositPerDay) {
      throw new ComputeCapExceededError(
        `A deposit of ${amount} would bring the last 24 hours to ${today + amount}, above the daily compute budget of ${policy.maxDepositPerDay} token units.`,
      );
    }
  };

  const ownedChannel = async (channelId: bigint) => {
    const channel = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [channelId] });
    if (!isAddressEqual(channel.payer, tba)) throw new ChannelNotOwnedError(`Channel ${channelId} is not one of the agent's channels.`);
    if (channel.closed) throw new ChannelNotOwnedError(`Channel ${channelId} is already closed.`);
    return channel;
  };

  const checkProposal = async (action: Extract<GuardedAction, { action: 'propose' }>) => {
    if (!governance) throw new ProposalNotAllowedError('The agent has no community to propose to: it is owned by a key.');
    const { targets, values, calldatas, description } = action;
    if (targets.length === 0 || targets.length > maxProposalCalls || values.length !== targets.length || calldatas.length !== targets.length) {
      throw new ProposalNotAllowedError(`A proposal carries 1 to ${maxProposalCalls} calls, each with a target, a value and calldata.`);
    }
    for (const [i, target] of targets.entries()) {
      if (!isAddressEqual(target, governance.charter) && !isAddressEqual(target, tba)) {
        throw new ProposalNotAllowedError(`The agent proposes calls to its charter or its own account only, not to ${target}.`);
      }
      if (values[i] !== 0n) throw new ProposalNotAllowedError('A proposal of the agent moves no ETH.');
    }
    if (description.trim().length === 0 || description.length > maxProposalDescription) {
      throw new ProposalNotAllowedError(`A proposal needs its reasons, at most ${maxProposalDescription} characters.`);
    }
    // The chain's own count for the charter period, plus proposals sent but not yet confirmed.
    const limit = policy.proposalsPerPeriod ?? 0;
    const filed = await publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'agentProposalsThisPeriod' });
    const pending = memory.ledger.listPending().filter((entry) => entry.kind === 'propose').length;
    if (filed + BigInt(pending) >= BigInt(limit)) {
      throw new ProposalLimitError(`The agent already filed ${filed + BigInt(pending)} proposal(s) this charter period; its charter allows ${limit}.`);
    }
  };

  /** The x402 channel must be the agent's (payer the TBA, vouchers by the session key), to a trusted seller, in the payment token. */
  const checkX402Channel = (channel: X402ChannelConfig) => {
    const sellers = policy.trustedX402Sellers ?? [];
    if (!sellers.some((seller) => isAddressEqual(seller, channel.receiver))) {
      throw new UntrustedProviderError(`x402 seller ${channel.receiver} is not a trusted seller; the agent only pays ${sellers.join(', ') || 'no x402 seller'}.`);
    }
    if (!isAddressEqual(channel.payer, tba)) throw new X402ChannelRefusedError(`An x402 channel must have the agent's account ${tba} as payer, not ${channel.payer}.`);
    if (!isAddressEqual(channel.payerAuthorizer, wallet.sessionKey)) {
      throw new X402ChannelRefusedError(`An x402 channel's vouchers must be signed by the session key ${wallet.sessionKey}, not ${channel.payerAuthorizer}.`);
    }
    if (!isAddressEqual(channel.token, token)) throw new X402ChannelRefusedError(`An x402 channel must be in the payment token ${token}, not ${channel.token}.`);
    const maxDelay = policy.maxX402WithdrawDelay ?? day;
    if (!Number.isInteger(channel.withdrawDelay) || channel.withdrawDelay <= 0 || channel.withdrawDelay > maxDelay) {
      throw new X402ChannelRefusedError(`An x402 channel's withdraw delay of ${channel.withdrawDelay} s is outside (0, ${maxDelay}] s.`);
    }
  };

  const check = async (action: GuardedAction): Promise<void> => {
    const name = (action as { action: unknown }).action;
    if (typeof name !== 'string' || !knownActions.has(name)) throw new ActionNotAllowedError(`The agent has no action "${String(name)}".`);
    if (!policy.allowedActions.includes(action.action)) throw new ActionNotAllowedError(`The action "${action.action}" is not allowed by the policy.`);
    switch (action.action) {
      case 'harvest':
        return;
      case 'open':
        await checkProvider(getAddress(action.provider));
        return checkDeposit(action.amount);
      case 'top_up': {
        const channel = await ownedChannel(action.channelId);
        await checkProvider(channel.provider);
        return checkDeposit(action.amount);
      }
      case 'request_close':
      case 'finalize':
        await ownedChannel(action.channelId);
        return;
      case 'x402_deposit':
        checkX402Channel(action.channel);
        return checkDeposit(action.amount);
      case 'refill_gas':
        if (action.amountWei <= 0n || action.amountWei > policy.maxRefillWei) {
          throw new ComputeCapExceededError(`A gas refill of ${action.amountWei} wei is outside (0, ${policy.maxRefillWei}].`);
        }
        return;
      case 'publish_identity':
        registries();
        if (action.agentId !== agentId()) throw new ActionNotAllowedError(`Agent id ${action.agentId} is not the agent's own ERC-8004 id.`);
        if (Buffer.byteLength(action.uri) > maxIdentityBytes) throw new ActionNotAllowedError(`A registration URI of ${Buffer.byteLength(action.uri)} bytes is above ${maxIdentityBytes}.`);
        return;
      case 'rate_provider': {
        registries();
        const text = action.tag1 + action.tag2 + action.endpoint + action.feedbackURI;
        if (Buffer.byteLength(text) > maxIdentityBytes) throw new ActionNotAllowedError(`Feedback of ${Buffer.byteLength(text)} bytes is above ${maxIdentityBytes}.`);
        if (!Number.isInteger(action.valueDecimals) || action.valueDecimals < 0 || action.valueDecimals > 18) throw new ActionNotAllowedError(`valueDecimals ${action.valueDecimals} is outside 0..18.`);
        if (action.providerAgentId === agentId()) throw new ActionNotAllowedError('The agent does not rate itself.');
        return;
      }
      case 'propose':
        return checkProposal(action);
      case 'accuse_over_redemption':
      case 'slash_over_redemption':
      case 'prove_double_signing':
        return checkBondClaim({ claim: action, publicClient, market, tba, now: async () => Number((await publicClient.getBlock()).timestamp) });
    }
  };

  /** The ERC-8004 registries of the deployment (an identity action without them is refused). */
  function registries(): NonNullable<AgentDeployment['erc8004']> {
    if (!deployment.erc8004) throw new ActionNotAllowedError('The deployment names no ERC-8004 registries.');
    return deployment.erc8004;
  }
  function agentId(): bigint | undefined {
    return deployment.agent.agentId === undefined ? undefined : BigInt(deployment.agent.agentId);
  }

  const callsOf = (action: GuardedAction): AgentCall[] => {
    switch (action.action) {
      case 'harvest':
        return [{ to: vault, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) }];
      case 'open':
        return [
          { to: token, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [market, action.amount] }) },
          { to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'open', args: [getAddress(action.provider), wallet.sessionKey, action.amount] }) },
        ];
      case 'top_up':
        return [
          { to: token, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [market, action.amount] }) },
          { to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'topUp', args: [action.channelId, action.amount] }) },
        ];
      case 'request_close':
        return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'requestClose', args: [action.channelId] }) }];
      case 'finalize':
        return [{ to: market, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'finalize', args: [action.channelId] }) }];
      case 'refill_gas':
        return [{ to: wallet.sessionKey, value: action.amountWei }];
      case 'publish_identity':
        return [{ to: registries().identityRegistry, data: encodeFunctionData({ abi: identityRegistryAbi, functionName: 'setAgentURI', args: [action.agentId, action.uri] }) }];
      case 'rate_provider':
        return [
          {
            to: registries().reputationRegistry,
            data: encodeFunctionData({
              abi: reputationRegistryAbi,
              functionName: 'giveFeedback',
              args: [action.providerAgentId, action.value, action.valueDecimals, action.tag1, action.tag2, action.endpoint, action.feedbackURI, action.feedbackHash],
            }),
          },
        ];
      case 'propose':
        return [
          {
            to: (governance as NonNullable<typeof governance>).governor,
            data: encodeFunctionData({ abi: agentGovernorAbi, functionName: 'propose', args: [[...action.targets], [...action.values], [...action.calldatas], action.description] }),
          },
        ];
      case 'x402_deposit': {
        const channel = { ...action.channel, receiver: getAddress(action.channel.receiver), receiverAuthorizer: getAddress(action.channel.receiverAuthorizer) };
        return [
          { to: token, data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [x402BatchSettlementAddress, action.amount] }) },
          // Collector zero: the escrow pulls exactly `amount` from the account (the approval above).
          { to: x402BatchSettlementAddress, data: encodeFunctionData({ abi: x402BatchSettlementAbi, functionName: 'deposit', args: [channel, action.amount, zeroAddress, '0x'] }) },
        ];
      }
      case 'accuse_over_redemption':
      case 'slash_over_redemption':
      case 'prove_double_signing':
        return encodeBondClaim(action, market);
    }
  };

  const checkCounterparties = (calls: readonly AgentCall[]) => {
    const allowed = [vault, token, market, wallet.sessionKey, x402BatchSettlementAddress, ...(governance ? [governance.governor] : []), ...(deployment.erc8004 ? [deployment.erc8004.identityRegistry, deployment.erc8004.reputationRegistry] : [])];
    for (const call of calls) {
      if (!allowed.some((address) => isAddressEqual(address, call.to))) {
        throw new CounterpartyNotAllowedError(`A call to ${call.to} is outside the agent's counterparties (vault, token, market, governor).`);
      }
    }
  };

  const run = async (action: GuardedAction, options: { reason: string; origin: GuardedOrigin }): Promise<GuardedReceipt> => {
    await check(action);
    const calls = callsOf(action);
    checkCounterparties(calls);
    const fromBlock = await publicClient.getBlockNumber();
    const amount = 'amount' in action ? action.amount : action.action === 'refill_gas' ? action.amountWei : undefined;
    // A proposal is journaled by what it asks (its text and targets), not by its calldata.
    const journaled = action.action === 'propose' ? { action: action.action, targets: action.targets, description: action.description } : action;
    const ledgerId = memory.ledger.recordIntent({
      kind: ledgerKindOf[action.action],
      reason: options.reason,
      params: { ...journaled, origin: options.origin, fromBlock, tba },
      ...(amount !== undefined && action.action !== 'refill_gas' ? { amount } : {}),
    });
    let sent;
    let journaledHash = false;
    try {
      sent = await wallet.sendCalls(calls, action.action, {
        onSubmitted: (hash) => {
          memory.ledger.markSent(ledgerId, hash);
          journaledHash = true;
        },
      });
    } catch (error) {
      memory.ledger.markFailed(ledgerId, error instanceof Error ? error.message.split('\n')[0] ?? String(error) : String(error));
      throw error;
    }
    if (!journaledHash) memory.ledger.markSent(ledgerId, sent.transactionHash);
    const receipt = await publicClient.getTransactionReceipt({ hash: sent.transactionHash });
    const outcome = readOutcome({ action, logs: receipt.logs, tba, vault, market });
    const proposalId = action.action === 'propose' && governance ? readProposalId({ logs: receipt.logs, governor: governance.governor, tba }) : undefined;
    if (outcome.channel) {
      memory.channels.upsert({ channelId: outcome.channel.channelId, provider: outcome.channel.provider, signer: outcome.channel.signer, deposit: outcome.channel.deposit });
    } else if ('channelId' in action) {
      // The chain is the truth for the channel's deposit, redemptions and window.
      const onChain = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [action.channelId] });
      memory.channels.upsert({
        channelId: action.channelId,
        provider: onChain.provider,
        signer: onChain.signer,
        deposit: onChain.deposit,
        redeemed: onChain.redeemed,
        status: onChain.closed ? 'closed' : onChain.closesAt > 0n ? 'closing' : 'open',
        ...(onChain.closesAt > 0n ? { closesAt: Number(onChain.closesAt) } : {}),
      });
    }
    memory.ledger.markConfirmed(ledgerId, {
      gasUsed: sent.gasUsed,
      blockNumber: sent.blockNumber,
      effectiveGasPrice: receipt.effectiveGasPrice,
      ...(outcome.amount !== undefined ? { amount: outcome.amount } : {}),
    });
    return {
      ledgerId,
      action: action.action,
      transactionHash: sent.transactionHash,
      blockNumber: sent.blockNumber,
      gasUsed: sent.gasUsed,
      amount: outcome.amount,
      channelId: outcome.channel?.channelId ?? ('channelId' in action ? action.channelId : undefined),
      ...(proposalId !== undefined ? { proposalId } : {}),
    };
  };

  return {
    policy,
    remainingToday: () => {
      const used = depositedToday();
      return used >= policy.maxDepositPerDay ? 0n : policy.maxDepositPerDay - used;
    },
    check,
    execute: (action, options) => {
      const next = queue.then(() => run(action, options));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

/** The id of the proposal the agent's account filed, from the governor's `ProposalCreated` log. */
function readProposalId(parameters: { logs: ReadOutcomeParameters['logs']; governor: Address; tba: Address }): bigint | undefined {
  const created = parseEventLogs({ abi: agentGovernorAbi, logs: parameters.logs, eventName: 'ProposalCreated' }).find(
    (log) => isAddressEqual(log.address, parameters.governor) && isAddressEqual(log.args.proposer, parameters.tba),
  );
  return created?.args.proposalId;
}

/** Parameters of {@link readOutcome}. */
type ReadOutcomeParameters = {
  action: GuardedAction;
  logs: Parameters<typeof parseEventLogs>[0]['logs'];
  tba: Address;
  vault: Address;
  market: Address;
};

/** What the logs of a confirmed write say: the amount moved and, for an open, the new channel. */
export function readOutcome(parameters: ReadOutcomeParameters): {
  amount: bigint | undefined;
  channel: { channelId: bigint; provider: Address; signer: Address; deposit: bigint } | undefined;
} {
  const { action, logs, tba, vault, market } = parameters;
  if (action.action === 'harvest') {
    const harvested = parseEventLogs({ abi: yieldVaultAbi, logs, eventName: 'Harvested' }).find((log) => isAddressEqual(log.address, vault));
    return { amount: harvested?.args.amount, channel: undefined };
  }
  const events = parseEventLogs({ abi: computeMarketAbi, logs }).filter((log) => isAddressEqual(log.address, market));
  for (const event of events) {
    if (event.eventName === 'ChannelOpened' && action.action === 'open' && isAddressEqual(event.args.payer, tba)) {
      return {
        amount: event.args.deposit,
        channel: { channelId: event.args.channelId, provider: event.args.provider, signer: event.args.signer, deposit: event.args.deposit },
      };
    }
    if (event.eventName === 'ChannelToppedUp' && action.action === 'top_up' && event.args.channelId === action.channelId) return { amount: event.args.amount, channel: undefined };
    if (event.eventName === 'ChannelClosed' && 'channelId' in action && event.args.channelId === action.channelId) return { amount: event.args.refunded, channel: undefined };
  }
  return { amount: 'amount' in action ? action.amount : undefined, channel: undefined };
}

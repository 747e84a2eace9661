import { parseEther, parseGwei, toFunctionSelector, type Address, type Hex } from 'viem';

/** The on-chain session policy struct of AgentAccount (IAgentAccount.SessionPolicy). */
export type SessionPolicy = {
  validAfter: number;
  validUntil: number;
  period: number;
  maxCallsPerPeriod: number;
  nativeBudgetPerPeriod: bigint;
  /** Wei of ERC-4337 prefund (gas limits × maxFeePerGas) the key's user operations may commit over the whole grant. */
  gasAllowance: bigint;
  /** The highest maxFeePerGas (wei) a user operation of the key may sign. */
  maxFeePerGas: bigint;
  calls: readonly { target: Address; selector: Hex }[];
  tokenBudgets: readonly { token: Address; amountPerPeriod: bigint }[];
  counterparties: readonly Address[];
  /** Who an address argument of a granted call may be: 1 = a counterparty, 2 = the session key, 3 = the account. */
  argumentRules: readonly { target: Address; selector: Hex; argument: number; kind: number }[];
};

/** `ArgumentRule.kind` values of AgentAccount. */
export const argumentRuleKind = { counterparty: 1, sessionKey: 2, account: 3 } as const;

/** Parameters of {@link agentSessionPolicy}. */
export type AgentSessionPolicyParameters = {
  /** The session key itself (it may receive its own gas allowance in ETH). */
  sessionKey: Address;
  /** The agent's vault (harvest). */
  vault: Address;
  /** The payment token (approve to the market). */
  token: Address;
  /** The compute market (open, top up, close channels). */
  computeMarket: Address;
  /** The providers the key may open channels with (the only providers it can pay). */
  trustedProviders: readonly Address[];
  /** Payment-token units the key may approve per period. */
  tokenBudgetPerPeriod: bigint;
  /** Wei the key may move per period (its own gas top-ups). */
  nativeBudgetPerPeriod: bigint;
  /**
   * Wei of user-operation prefund over the whole grant (1 ether by default): the most the key can make
   * the account spend on gas; re-granting refills it (validation cannot read the clock, so it is not
   * per period).
   */
  gasAllowance?: bigint;
  /** Highest maxFeePerGas a user operation may sign (100 gwei by default). */
  maxFeePerGas?: bigint;
  /** Calls per period. */
  maxCallsPerPeriod: number;
  /** Period length in seconds (a day by default). */
  periodSeconds?: number;
  /** Unix seconds from which the key is valid. */
  validAfter: number;
  /** Unix seconds until which the key is valid. */
  validUntil: number;
  /**
   * ERC-8004 registries: the key may update the agent's registration file (`setAgentURI`, on the
   * identity its TBA owns) and rate providers (`giveFeedback`); nothing else there (no transfer).
   */
  erc8004?: { identityRegistry: Address; reputationRegistry: Address };
};

/**
 * The least a y2c agent needs and nothing more: harvest its vault, approve the payment token to the
 * market within a budget, open / top up / close / finalize channels, and top up its own gas.
 * Argument rules make `open(provider, signer, amount)` pay only a trusted provider, with the session
 * key itself as the channel's signer (a stolen key cannot open a channel to itself and redeem it);
 * `topUp` needs none (the market only lets the payer, the account, top up its own channels).
 *
 * @param parameters Addresses and budgets.
 * @returns The policy to pass to `grantSession`.
 */
export function agentSessionPolicy(parameters: AgentSessionPolicyParameters): SessionPolicy {
  const selector = (signature: string) => toFunctionSelector(signature);
  const { vault, token, computeMarket: market } = parameters;
  const open = selector('function open(address,address,uint256)');
  return {
    validAfter: parameters.validAfter,
    validUntil: parameters.validUntil,
    period: parameters.periodSeconds ?? 86_400,
    maxCallsPerPeriod: parameters.maxCallsPerPeriod,
    nativeBudgetPerPeriod: parameters.nativeBudgetPerPeriod,
    gasAllowance: parameters.gasAllowance ?? parseEther('1'),
    maxFeePerGas: parameters.maxFeePerGas ?? parseGwei('100'),
    calls: [
      { target: vault, selector: selector('function harvest()') },
      { target: token, selector: selector('function approve(address,uint256)') },
      { target: market, selector: open },
      { target: market, selector: selector('function topUp(uint256,uint256)') },
      { target: market, selector: selector('function requestClose(uint256)') },
      { target: market, selector: selector('function finalize(uint256)') },
      { target: parameters.sessionKey, selector: '0x00000000' },
      ...(parameters.erc8004
        ? [
            { target: parameters.erc8004.identityRegistry, selector: selector('function setAgentURI(uint256,string)') },
            { target: parameters.erc8004.reputationRegistry, selector: selector('function giveFeedback(uint256,int128,uint8,string,string,string,string,bytes32)') },
          ]
        : []),
    ],
    tokenBudgets: [{ token, amountPerPeriod: parameters.tokenBudgetPerPeriod }],
    counterparties: [...new Set([market, ...parameters.trustedProviders])],
    argumentRules: [
      { target: market, selector: open, argument: 0, kind: argumentRuleKind.counterparty },
      { target: market, selector: open, argument: 1, kind: argumentRuleKind.sessionKey },
    ],
  };
}

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
};

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
};

/**
 * The least a y2c agent needs and nothing more: harvest its vault, approve the payment token to the
 * market within a budget, open / top up / close / finalize channels, and top up its own gas.
 *
 * @param parameters Addresses and budgets.
 * @returns The policy to pass to `grantSession`.
 */
export function agentSessionPolicy(parameters: AgentSessionPolicyParameters): SessionPolicy {
  const selector = (signature: string) => toFunctionSelector(signature);
  const { vault, token, computeMarket: market } = parameters;
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
      { target: market, selector: selector('function open(address,address,uint256)') },
      { target: market, selector: selector('function topUp(uint256,uint256)') },
      { target: market, selector: selector('function requestClose(uint256)') },
      { target: market, selector: selector('function finalize(uint256)') },
      { target: parameters.sessionKey, selector: '0x00000000' },
    ],
    tokenBudgets: [{ token, amountPerPeriod: parameters.tokenBudgetPerPeriod }],
    counterparties: [market],
  };
}

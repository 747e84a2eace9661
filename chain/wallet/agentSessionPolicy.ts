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
  /**
   * x402 `batch-settlement` buying: the escrow the key may `deposit` into (approve it within the token
   * budget), and the sellers (receivers) it may pay. Absent, the key cannot reach the escrow.
   */
  x402?: { escrow: Address; trustedSellers: readonly Address[] };
};

/** `deposit((address,address,address,address,address,uint40,bytes32),uint128,address,bytes)` of the x402 escrow. */
export const x402DepositSelector = toFunctionSelector('function deposit((address,address,address,address,address,uint40,bytes32),uint128,address,bytes)');

/**
 * The market's bond claims (`accuseOverRedemption`, `slashOverRedemption`, `proveDoubleSigning`). None takes an
 * address: the market decides who is paid (the channel's payer, i.e. the account for the agent's channels), so
 * they need no argument rule.
 */
export const bondClaimSelectors = [
  toFunctionSelector('function accuseOverRedemption((uint256,bytes32,bytes32,string,uint256,uint256,uint256,uint256),bytes)'),
  toFunctionSelector('function slashOverRedemption(uint256)'),
  toFunctionSelector('function proveDoubleSigning((uint256,bytes32,bytes32,string,uint256,uint256,uint256,uint256),bytes,(uint256,bytes32,bytes32,string,uint256,uint256,uint256,uint256),bytes)'),
] as const;

/**
 * The least a y2c agent needs and nothing more: harvest its vault, approve the payment token to the
 * market within a budget, open / top up / close / finalize channels, claim a lying provider's bond, and top up its own gas.
 * Argument rules make `open(provider, signer, amount)` pay only a trusted provider, with the session
 * key itself as the channel's signer (a stolen key cannot open a channel to itself and redeem it);
 * `topUp` needs none (the market only lets the payer, the account, top up its own channels).
 * With `x402`, the key may also `deposit` into the x402 escrow, whose static `ChannelConfig` is ABI
 * words 0..6: word 0 (payer) must be the account, word 1 (payerAuthorizer) the key, word 2 (receiver)
 * a trusted seller, so a hostile seller cannot make the agent fund a channel someone else can take.
 *
 * @param parameters Addresses and budgets.
 * @returns The policy to pass to `grantSession`.
 */
export function agentSessionPolicy(parameters: AgentSessionPolicyParameters): SessionPolicy {
  const selector = (signature: string) => toFunctionSelector(signature);
  const { vault, token, computeMarket: market } = parameters;
  const open = selector('function open(address,address,uint256)');
  const x402 = parameters.x402;
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
      // Claims on a lying provider's bond; the market pays the channel's payer (the account), and only the payer may accuse.
      ...bondClaimSelectors.map((claim) => ({ target: market, selector: claim })),
      ...(parameters.erc8004
        ? [
            { target: parameters.erc8004.identityRegistry, selector: selector('function setAgentURI(uint256,string)') },
            { target: parameters.erc8004.reputationRegistry, selector: selector('function giveFeedback(uint256,int128,uint8,string,string,string,string,bytes32)') },
          ]
        : []),
      ...(x402 ? [{ target: x402.escrow, selector: x402DepositSelector }] : []),
    ],
    tokenBudgets: [{ token, amountPerPeriod: parameters.tokenBudgetPerPeriod }],
    counterparties: [...new Set([market, ...parameters.trustedProviders, ...(x402 ? [x402.escrow, ...x402.trustedSellers] : [])])],
    argumentRules: [
      { target: market, selector: open, argument: 0, kind: argumentRuleKind.counterparty },
      { target: market, selector: open, argument: 1, kind: argumentRuleKind.sessionKey },
      ...(x402
        ? [
            { target: x402.escrow, selector: x402DepositSelector, argument: 0, kind: argumentRuleKind.account },
            { target: x402.escrow, selector: x402DepositSelector, argument: 1, kind: argumentRuleKind.sessionKey },
            { target: x402.escrow, selector: x402DepositSelector, argument: 2, kind: argumentRuleKind.counterparty },
          ]
        : []),
    ],
  };
}

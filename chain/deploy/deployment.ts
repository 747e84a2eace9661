import type { Address } from 'viem';

/**
 * Where everything lives on one chain: written to `.y2c/deployment.json` by `y2c up` / `y2c deploy`,
 * read by every other command. On a real network the same shape comes from config.
 */
export type Deployment = {
  /** Chain id the addresses belong to. */
  chainId: number;
  /** ERC-4337 EntryPoint v0.7. */
  entryPoint: Address;
  /** ERC-6551 registry. */
  erc6551Registry: Address;
  /** Payment and staking asset (USDx locally). */
  usdx: Address;
  /** ERC-4626 yield source (sUSDx locally). */
  susdx: Address;
  /** The agent NFT collection. */
  agentNft: Address;
  /** AgentAccount implementation behind every TBA. */
  accountImplementation: Address;
  /** The compute market. */
  computeMarket: Address;
  /** The agent, once bootstrapped. */
  agent?: {
    /** Token id of the agent's NFT. */
    tokenId: string;
    /** The agent's token-bound account. */
    tba: Address;
    /** The agent's yield vault. */
    vault: Address;
    /** The agent's session key (public address only). */
    sessionKey: Address;
    /** Its ERC-8004 agent id in `erc8004.identityRegistry` (owned by the TBA), once registered. */
    agentId?: string;
  };
  /** The ERC-8004 registries the agent is known in (ours on the devnet, the canonical ones by preset). */
  erc8004?: Erc8004Deployment;
  /** The agent's community, when it owns the agent (absent in `--owner eoa` worlds). */
  governance?: GovernanceDeployment;
  /** The ETH vault and its conversion route, when deployed (the devnet always deploys it). */
  eth?: EthDeployment;
};

/** The ETH vault beside the USDx one: stakers bring ETH, its yield is converted to the payment token. */
export type EthDeployment = {
  /** WETH9 (devnet: ours, same interface). */
  weth: Address;
  /** The ETH yield source (devnet: StakedEther, a wstETH-like ERC-4626 over WETH). */
  source: Address;
  /** The agent's ETH vault: the same YieldVault over WETH, beneficiary the converter. */
  vault: Address;
  /** Wraps ETH and stakes it for the sender. */
  gateway: Address;
  /** Swaps harvested WETH to the payment token for the TBA, bounded by the oracle. */
  converter: Address;
  /** Chainlink-style ETH / USD feed (devnet: ours, `y2c price set`). */
  priceFeed: Address;
  /** Uniswap v3 factory, SwapRouter, NonfungiblePositionManager and the WETH/payment-token pool. */
  uniswapFactory: Address;
  swapRouter: Address;
  positionManager: Address;
  pool: Address;
  /** The pool's fee tier (hundredths of a basis point: 3000 = 0.3%). */
  poolFee: number;
};

/** Where a self-owned agent's governance lives. */
export type GovernanceDeployment = {
  /** TimelockController: holds the agent NFT, executes proposals. */
  timelock: Address;
  /** AgentGovernor: the timelock's only proposer and canceller. */
  governor: Address;
  /** Charter: the constitution and limits, written only by the timelock. */
  charter: Address;
  /** The revoke-only SessionGuardian, when a keeper was configured. */
  guardian?: Address;
};

/** Where the ERC-8004 (Trustless Agents) registries live. */
export type Erc8004Deployment = {
  /** Identity Registry: agent ids, registration files, agent wallets. */
  identityRegistry: Address;
  /** Reputation Registry: client feedback on agents (the agent rates its providers there). */
  reputationRegistry: Address;
};

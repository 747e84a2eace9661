import { getAddress, type Address, type Hex } from 'viem';

/** One entry of a registration file's `endpoints` (ERC-8004). */
export type RegistrationEndpoint = { name: string; endpoint: string; version?: string };

/** An ERC-8004 registration file (`registration-v1`), with y2c's `charter` extension. */
export type RegistrationFile = {
  type: 'https://eips.ethereum.org/EIPS/eip-8004#registration-v1';
  name: string;
  description: string;
  image: string;
  endpoints: RegistrationEndpoint[];
  registrations: { agentId: number; agentRegistry: string }[];
  supportedTrust: string[];
  x402Support: boolean;
  active: boolean;
  /** The charter the agent obeys: its address, version and constitution hash (none in owner mode). */
  charter: { address: Address; version: number; constitutionHash: Hex } | null;
};

/** Parameters of {@link buildRegistrationFile}. */
export type BuildRegistrationFileParameters = {
  chainId: number;
  /** The ERC-8004 Identity Registry the agent is registered in. */
  identityRegistry: Address;
  /** Its agent id there. */
  agentId: bigint;
  /** The agent's TBA, published as its `agentWallet`. */
  tba: Address;
  /** Public origin of the chat server (`http://host:port`): the web page lives there, MCP at `/mcp`. */
  chatUrl: string;
  /** Where the agent takes x402 payments, when it does. */
  x402Url?: string | undefined;
  /** The charter in force (omitted in owner mode). */
  charter?: { address: Address; version: number; constitutionHash: Hex } | undefined;
  /** Display name (default "y2c agent #<agentId>"). */
  name?: string;
  /** An image URL (default: none). */
  image?: string;
};

/** The MCP protocol revision the `/mcp` endpoint speaks. */
const mcpVersion = '2025-06-18';

/**
 * The agent's ERC-8004 registration file: how to reach it (its web chat, its MCP server at `/mcp` on
 * the chat server, its x402 endpoint when it has one), its TBA as `agentWallet` (CAIP-10), its
 * registration in the identity registry, reputation as its trust model, and the charter it obeys.
 * Deterministic (same inputs, same JSON), so the daemon republishes only when something changed.
 *
 * @param parameters Chain, registry, agent id, TBA, endpoints and charter.
 * @returns The registration file.
 * @example
 * const file = buildRegistrationFile({ chainId: 31337, identityRegistry, agentId: 1n, tba, chatUrl: 'http://127.0.0.1:8788' });
 */
export function buildRegistrationFile(parameters: BuildRegistrationFileParameters): RegistrationFile {
  const chatUrl = parameters.chatUrl.replace(/\/+$/, '');
  const endpoints: RegistrationEndpoint[] = [
    { name: 'web', endpoint: chatUrl },
    { name: 'MCP', endpoint: `${chatUrl}/mcp`, version: mcpVersion },
  ];
  if (parameters.x402Url) endpoints.push({ name: 'x402', endpoint: parameters.x402Url });
  endpoints.push({ name: 'agentWallet', endpoint: `eip155:${parameters.chainId}:${getAddress(parameters.tba)}` });
  return {
    type: 'https://eips.ethereum.org/EIPS/eip-8004#registration-v1',
    name: parameters.name ?? `y2c agent #${parameters.agentId}`,
    description:
      'An AI agent that pays for its own inference with the yield its community stakes, governed by that community on chain. Members (stakers) chat on the web page or through MCP; the agent buys compute from providers over payment channels and rates them here.',
    image: parameters.image ?? '',
    endpoints,
    registrations: [{ agentId: Number(parameters.agentId), agentRegistry: `eip155:${parameters.chainId}:${getAddress(parameters.identityRegistry)}` }],
    supportedTrust: ['reputation'],
    x402Support: parameters.x402Url !== undefined,
    active: true,
    charter: parameters.charter ? { address: getAddress(parameters.charter.address), version: parameters.charter.version, constitutionHash: parameters.charter.constitutionHash } : null,
  };
}

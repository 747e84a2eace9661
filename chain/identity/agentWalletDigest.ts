import { getAddress, hashTypedData, type Address, type Hex } from 'viem';

/** Parameters of {@link agentWalletDigest}. */
export type AgentWalletDigestParameters = { chainId: number; registry: Address; agentId: bigint; newWallet: Address; owner: Address; deadline: bigint };

/**
 * The ERC-8004 `AgentWalletSet` digest (domain "ERC8004IdentityRegistry", version "1"), the same for
 * our registry and the canonical ones.
 *
 * @param parameters Chain, registry, agent, wallet, the agent's owner and the deadline.
 * @returns The EIP-712 digest the new wallet approves.
 */
export function agentWalletDigest(parameters: AgentWalletDigestParameters): Hex {
  return hashTypedData({
    domain: { name: 'ERC8004IdentityRegistry', version: '1', chainId: parameters.chainId, verifyingContract: getAddress(parameters.registry) },
    types: {
      AgentWalletSet: [
        { name: 'agentId', type: 'uint256' },
        { name: 'newWallet', type: 'address' },
        { name: 'owner', type: 'address' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'AgentWalletSet',
    message: { agentId: parameters.agentId, newWallet: parameters.newWallet, owner: parameters.owner, deadline: parameters.deadline },
  });
}

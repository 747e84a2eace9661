import { erc721Abi, formatUnits, type Address, type Client } from 'viem';
import { readContract } from 'viem/actions';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import type { PassConfig } from '../../config/types.js';
import type { MemberReads } from './createMemberReads.js';
import { PassRequiredError } from './errors.js';

/** Parameters of {@link checkPass}. */
export type CheckPassParameters = {
  /** Reads the chain. */
  client: Client;
  /** What grants access. */
  pass: PassConfig;
  /** The agent's vault (for a stake pass). */
  vault: Address;
  /** The member. */
  address: Address;
  /** The agent's ETH vault: with a stake pass, any ETH principal there holds the pass too. */
  ethVault?: Address;
  /** Payment token decimals, for messages (default 6). */
  decimals?: number;
  /** Cached reads (kept fresh by the vault's and the pass's events); the chain directly when undefined. */
  reads?: Pick<MemberReads, 'principalOf' | 'passBalanceOf'> | undefined;
};

/** What the member holds. */
export type CheckPassReturnType = { kind: PassConfig['kind']; held: bigint; required: bigint };

/**
 * Checks on chain (now, or through the event-fresh `reads`) that an address holds the chat pass: an ERC-721 balance ≥ 1, or a stake in
 * the agent's vault ≥ `minStake` (or, given the ETH vault, any ETH principal there). Called on sign-in and again on every message.
 *
 * @param parameters Client, pass, vault, member.
 * @returns What the member holds and what is required.
 * @throws {PassRequiredError} When the member does not hold it (403).
 * @example await checkPass({ client, pass: config.agent.pass, vault, address })
 */
export async function checkPass(parameters: CheckPassParameters): Promise<CheckPassReturnType> {
  const { client, pass, vault, address, reads } = parameters;
  if (pass.kind === 'erc721') {
    const held = reads ? await reads.passBalanceOf(pass.token, address) : await readContract(client, { address: pass.token, abi: erc721Abi, functionName: 'balanceOf', args: [address] });
    if (held < 1n) throw new PassRequiredError(`${address} holds no token of ${pass.token}, the pass of this chat.`, { body: { pass: { kind: 'erc721', token: pass.token } } });
    return { kind: 'erc721', held, required: 1n };
  }
  const held = reads ? await reads.principalOf(address) : await readContract(client, { address: vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [address] });
  const required = pass.minStake > 0n ? pass.minStake : 1n;
  if (held < required && parameters.ethVault) {
    const ethHeld = await readContract(client, { address: parameters.ethVault, abi: yieldVaultAbi, functionName: 'principalOf', args: [address] });
    if (ethHeld > 0n) return { kind: 'stake', held: ethHeld, required: 1n };
  }
  if (held < required) {
    const decimals = parameters.decimals ?? 6;
    throw new PassRequiredError(`${address} stakes ${formatUnits(held, decimals)} in the agent's vault; the chat needs at least ${formatUnits(required, decimals)}.`, {
      body: { pass: { kind: 'stake', vault, minStake: required.toString(), staked: held.toString() } },
    });
  }
  return { kind: 'stake', held, required };
}

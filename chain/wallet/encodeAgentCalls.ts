import { encodeFunctionData, type Address, type Hex } from 'viem';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';

/** One call the agent's account makes. */
export type AgentCall = { to: Address; value?: bigint; data?: Hex };

/**
 * `execute` for one call, `executeBatch` for more: the calldata a session key sends to the TBA
 * (directly, or wrapped in `executeUserOp` for ERC-4337).
 *
 * @param calls The calls, CALL operation only.
 * @returns Calldata for the TBA.
 */
export function encodeAgentCalls(calls: readonly AgentCall[]): Hex {
  if (calls.length === 1 && calls[0]) {
    const [call] = calls;
    return encodeFunctionData({ abi: agentAccountAbi, functionName: 'execute', args: [call.to, call.value ?? 0n, call.data ?? '0x', 0] });
  }
  return encodeFunctionData({
    abi: agentAccountAbi,
    functionName: 'executeBatch',
    args: [calls.map((call) => ({ to: call.to, value: call.value ?? 0n, data: call.data ?? '0x', operation: 0 }))],
  });
}

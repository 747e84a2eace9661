import {
  concat,
  decodeFunctionData,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
} from 'viem';
import {
  entryPoint07Abi,
  getUserOperationHash,
  toSmartAccount,
} from 'viem/account-abstraction';
import { agentAccountAbi } from '../abi/generated/agentAccount.js';
import { AgentError } from '../../core/AgentError.js';
import { encodeAgentCalls } from './encodeAgentCalls.js';

/** `executeUserOp(PackedUserOperation,bytes32)`: the EntryPoint v0.7 hands the whole user operation to the account. */
const executeUserOpSelector: Hex = '0x8dd7712f';

/** Parameters of {@link toAgentSmartAccount}. */
export type ToAgentSmartAccountParameters = {
  /** Client of the chain (with `chain` set). */
  client: PublicClient;
  /** The agent's token-bound account (already created through the registry). */
  address: Address;
  /** The session key that signs user operations. */
  sessionKey: LocalAccount;
  /** EntryPoint v0.7 address. */
  entryPoint: Address;
};

/** An ERC-4337 smart account for AgentAccount, driven by a session key. */
export type AgentSmartAccount = Awaited<ReturnType<typeof toAgentSmartAccount>>;

/**
 * Adapts the agent's TBA to viem's smart-account interface, the way viem and permissionless
 * implement theirs: calls are wrapped as `executeUserOp ++ execute(...)` (or `executeBatch`), and the
 * signature is `sessionKey ++ sig65`, the key's EIP-191 signature of the user-operation hash. The
 * account validates both with its own storage only (ERC-7562).
 *
 * @param parameters Client, TBA address, session key, EntryPoint.
 * @returns A smart account for viem's bundler client.
 * @example
 * const account = await toAgentSmartAccount({ client, address: tba, sessionKey, entryPoint });
 * await bundlerClient.sendUserOperation({ account, calls: [{ to, data }] });
 */
export async function toAgentSmartAccount(parameters: ToAgentSmartAccountParameters) {
  const { client, address, sessionKey } = parameters;
  const entryPoint = { abi: entryPoint07Abi, address: parameters.entryPoint, version: '0.7' } as const;
  const chainId = client.chain?.id;
  if (chainId === undefined) throw new AgentError('toAgentSmartAccount needs a client with a chain.');
  return toSmartAccount({
    client,
    entryPoint,
    // The key's own nonce lane (the account refuses any other: no key can consume another's
    // operations); the chain is the source of truth, so a restart rebuilds the nonce from it.
    nonceKeyManager: { consume: async () => 0, increment: () => {}, get: async () => 0, reset: () => {} },
    async getNonce() {
      return client.readContract({ address: entryPoint.address, abi: entryPoint07Abi, functionName: 'getNonce', args: [address, BigInt(sessionKey.address)] });
    },
    async getAddress() {
      return address;
    },
    async getFactoryArgs() {
      // The TBA is created through the ERC-6551 registry at bootstrap, never by a user operation.
      return { factory: undefined, factoryData: undefined };
    },
    async encodeCalls(calls) {
      return concat([executeUserOpSelector, encodeAgentCalls(calls.map((c) => ({ to: c.to, value: c.value ?? 0n, data: c.data ?? '0x' })))]);
    },
    async decodeCalls(data) {
      const inner = data.startsWith(executeUserOpSelector) ? (`0x${data.slice(10)}` as Hex) : data;
      const decoded = decodeFunctionData({ abi: agentAccountAbi, data: inner });
      if (decoded.functionName === 'execute') {
        const [to, value, callData] = decoded.args as readonly [Address, bigint, Hex, number];
        return [{ to, value, data: callData }];
      }
      if (decoded.functionName === 'executeBatch') {
        const [operations] = decoded.args as readonly [readonly { to: Address; value: bigint; data: Hex }[]];
        return operations.map((op) => ({ to: op.to, value: op.value, data: op.data }));
      }
      throw new AgentError(`Cannot decode calls of ${decoded.functionName}.`);
    },
    async getStubSignature() {
      // A well-formed signature of the right length, so gas estimation runs the real code path.
      return concat([sessionKey.address, `0x${'ff'.repeat(32)}${'7f'.repeat(32)}1c`]);
    },
    async signMessage() {
      throw new AgentError('A session key never signs messages for the account (ERC-1271 is the owner\'s only).');
    },
    async signTypedData() {
      throw new AgentError('A session key never signs typed data for the account (ERC-1271 is the owner\'s only).');
    },
    async signUserOperation(userOperation) {
      const { chainId: opChainId = chainId, ...rest } = userOperation;
      const hash = getUserOperationHash({
        chainId: opChainId,
        entryPointAddress: entryPoint.address,
        entryPointVersion: '0.7',
        userOperation: { ...rest, sender: address },
      });
      const signature = await sessionKey.signMessage({ message: { raw: hash } });
      return concat([sessionKey.address, signature]);
    },
  });
}

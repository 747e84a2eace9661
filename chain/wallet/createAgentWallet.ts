import {
  createWalletClient,
  http,
  type Address,
  type Chain,
  type Hash,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { createBundlerClient } from 'viem/account-abstraction';
import { TransactionRevertedError } from '../errors.js';
import { gasWithHeadroom } from '../gasWithHeadroom.js';
import { encodeAgentCalls, type AgentCall } from './encodeAgentCalls.js';
import { toAgentSmartAccount } from './toAgentSmartAccount.js';
import { toWalletError } from './toWalletError.js';

export type { AgentCall };

/** How the session key reaches the account. */
export type WalletTransport =
  | { kind: 'direct' }
  | { kind: 'userop'; bundlerUrl: string; entryPoint: Address };

/** Parameters of {@link createAgentWallet}. */
export type CreateAgentWalletParameters = {
  /** Client of the chain (with `chain` set). */
  publicClient: PublicClient;
  /** The chain. */
  chain: Chain;
  /** RPC URL (the direct transport signs and sends through it). */
  rpcUrl: string;
  /** The agent's token-bound account. */
  address: Address;
  /** The session key: the agent's only key. */
  sessionKey: LocalAccount;
  /** Direct transactions from the key, or ERC-4337 user operations through a bundler. */
  transport: WalletTransport;
};

/** The outcome of a successful write. */
export type SendCallsReturnType = {
  /** Transaction that carried the calls. */
  transactionHash: Hash;
  /** The user operation, for the ERC-4337 transport. */
  userOpHash?: Hash;
  /** Gas of the transaction (direct) or of the user operation (ERC-4337, actualGasUsed). */
  gasUsed: bigint;
  /** Block it landed in. */
  blockNumber: bigint;
};

/** Options of `sendCalls`. */
export type SendCallsOptions = {
  /** Called once with the transaction hash when it is known; an error thrown here is ignored. */
  onSubmitted?: (transactionHash: Hash) => void;
};

/** The agent's wallet: every write of the agent goes through `sendCalls`. */
export type AgentWallet = {
  /** The TBA. */
  address: Address;
  /** The session key's address. */
  sessionKey: Address;
  /** Which transport this wallet uses. */
  transport: WalletTransport['kind'];
  /** Runs the calls as the session key without sending anything; throws the typed refusal. */
  simulateCalls: (calls: readonly AgentCall[]) => Promise<void>;
  /**
   * Simulates, sends, waits, and checks the outcome; a revert is always an error. `onSubmitted` is
   * called with the transaction hash as soon as it is known (before the receipt for transport
   * "direct"), so a journal can record it before waiting.
   */
  sendCalls: (calls: readonly AgentCall[], what?: string, options?: SendCallsOptions) => Promise<SendCallsReturnType>;
};

/**
 * The agent's wallet over one of two transports with one interface. Each write is first simulated
 * as the session key (so a policy refusal comes back as a typed error and nothing is signed), then
 * sent, and its receipt checked: a reverted transaction or user operation is a failure, never a
 * success. Nonces always come from the chain, so a restart needs no local nonce state.
 *
 * @param parameters Chain, account, key and transport.
 * @returns The wallet.
 * @example
 * const wallet = createAgentWallet({ publicClient, chain, rpcUrl, address: tba, sessionKey, transport: { kind: 'direct' } });
 * await wallet.sendCalls([{ to: vault, data: encodeFunctionData({ abi, functionName: 'harvest' }) }], 'harvest');
 */
export function createAgentWallet(parameters: CreateAgentWalletParameters): AgentWallet {
  const { publicClient, chain, rpcUrl, address, sessionKey, transport } = parameters;
  const keyClient = createWalletClient({ account: sessionKey, chain, transport: http(rpcUrl), pollingInterval: publicClient.pollingInterval });
  const smartAccount =
    transport.kind === 'userop'
      ? toAgentSmartAccount({ client: publicClient, address, sessionKey, entryPoint: transport.entryPoint })
      : undefined;
  const bundlerClient =
    transport.kind === 'userop'
      ? createBundlerClient({ client: publicClient, transport: http(transport.bundlerUrl), pollingInterval: publicClient.pollingInterval })
      : undefined;

  const simulateCalls = async (calls: readonly AgentCall[]) => {
    try {
      await publicClient.call({ account: sessionKey.address, to: address, data: encodeAgentCalls(calls) });
    } catch (error) {
      throw toWalletError(error, describe(calls));
    }
  };

  const checked = (receipt: TransactionReceipt, what: string) => {
    if (receipt.status !== 'success') throw new TransactionRevertedError(`${what} reverted in transaction ${receipt.transactionHash}.`);
    return receipt;
  };

  const sendCalls = async (calls: readonly AgentCall[], what = describe(calls), options: SendCallsOptions = {}): Promise<SendCallsReturnType> => {
    // The direct transport's gas estimate runs the same execution as the key, so it is the
    // simulation (one RPC call, not two); a user operation is simulated as the key first, since the
    // bundler's estimate runs with a stub signature.
    if (transport.kind === 'userop') await simulateCalls(calls);
    const submitted = (hash: Hash) => {
      try {
        options.onSubmitted?.(hash);
      } catch {
        // A journal failure must not turn a sent transaction into an unknown one.
      }
    };
    try {
      if (bundlerClient && smartAccount) {
        const account = await smartAccount;
        const opCalls = calls.map((c) => ({ to: c.to, value: c.value ?? 0n, data: c.data ?? '0x' as const }));
        // The account runs its whole validation even for the stub signature, but the stub's ECDSA
        // recovery is cheaper than a real one and the estimate is tight: keep headroom for the cold
        // reads of the session and of each call's permission (AA26 otherwise). It is charged to the
        // session's gas allowance as part of the prefund.
        const gas = await bundlerClient.estimateUserOperationGas({ account, calls: opCalls });
        const userOpHash = await bundlerClient.sendUserOperation({
          account,
          calls: opCalls,
          callGasLimit: gasWithHeadroom(gas.callGasLimit),
          preVerificationGas: gas.preVerificationGas,
          verificationGasLimit: gas.verificationGasLimit + sessionScopeGas(calls.length),
        });
        const result = await bundlerClient.waitForUserOperationReceipt({ hash: userOpHash, timeout: 60_000 });
        submitted(result.receipt.transactionHash);
        checked(result.receipt, what);
        if (!result.success) {
          // The EntryPoint reports the inner revert data as `reason`: decode the account's error from it.
          const reverted = toWalletError({ data: result.reason }, what);
          throw reverted instanceof TransactionRevertedError
            ? new TransactionRevertedError(`${what} reverted inside user operation ${userOpHash}.`, { details: result.reason ?? undefined })
            : reverted;
        }
        return { transactionHash: result.receipt.transactionHash, userOpHash, gasUsed: result.actualGasUsed, blockNumber: result.receipt.blockNumber };
      }
      const data = encodeAgentCalls(calls);
      const estimate = await publicClient.estimateGas({ account: sessionKey.address, to: address, data });
      const hash = await keyClient.sendTransaction({ to: address, data, gas: gasWithHeadroom(estimate) });
      submitted(hash);
      const receipt = checked(await publicClient.waitForTransactionReceipt({ hash }), what);
      return { transactionHash: hash, gasUsed: receipt.gasUsed, blockNumber: receipt.blockNumber };
    } catch (error) {
      throw toWalletError(error, what);
    }
  };

  return { address, sessionKey: sessionKey.address, transport: transport.kind, simulateCalls, sendCalls };
}

/** Validation gas of the session-scope check that a stub-signed estimate skips (generous: unused verification gas is not charged). */
function sessionScopeGas(callCount: number): bigint {
  return 15_000n + 5_000n * BigInt(callCount);
}

function describe(calls: readonly AgentCall[]): string {
  return calls.length === 1 ? `The call to ${calls[0]?.to}` : `The batch of ${calls.length} calls`;
}

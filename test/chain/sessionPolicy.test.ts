import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaseError, RpcRequestError, createWalletClient, decodeErrorResult, encodeFunctionData, type Hex, http, parseUnits, type Address, type LocalAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { agentNftAbi } from '../../chain/abi/generated/agentNft.js';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import { usdxAbi } from '../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import {
  PolicyViolationError,
  SessionExpiredError,
  SessionRevokedError,
  UserOperationRejectedError,
} from '../../chain/errors.js';
import { encodeAgentCalls, type AgentCall } from '../../chain/wallet/encodeAgentCalls.js';
import { loadSessionKey } from '../../chain/wallet/loadSessionKey.js';
import { toWalletError } from '../../chain/wallet/toWalletError.js';
import { warp } from '../../cli/commands/warp.js';
import { agentFixture, type AgentFixture } from '../fixtures/agentFixture.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

const transports = ['direct', 'userop'] as const;

type ErrorClass = new (...args: never[]) => Error;
const usdx = (amount: string) => parseUnits(amount, 6);
const stranger: Address = '0x000000000000000000000000000000000000bEEF';

let devnet: TestDevnet;
let agent: AgentFixture;
let sessionKey: LocalAccount;

beforeAll(async () => {
  // The owner grants and revokes sessions here: a single-owner world (`--owner eoa`).
  devnet = await startTestDevnet({ dailyTokenBudget: '100', owner: 'eoa' });
  agent = agentFixture(devnet);
  sessionKey = loadSessionKey({ path: devnet.sessionKeyPath });
});

afterAll(async () => {
  await devnet?.dispose();
});

const approve = (spender: Address, amount: bigint): AgentCall => ({
  to: devnet.deployment.usdx,
  data: encodeFunctionData({ abi: usdxAbi, functionName: 'approve', args: [spender, amount] }),
});
const harvest = (): AgentCall => ({ to: devnet.deployment.agent.vault, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) });

/** Sends through a wallet and returns the error it threw (fails the test if it did not throw). */
async function refusal(send: () => Promise<unknown>): Promise<unknown> {
  try {
    await send();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused, but it went through');
}

/** Gas limits that skip the bundler's estimation (which would refuse first). */
const fixedGas = { callGasLimit: 300_000n, verificationGasLimit: 150_000n, preVerificationGas: 80_000n };

/** Whether an error was an RPC refusal by the bundler (not by anvil, not by our code). */
function bundlerRefused(error: unknown): boolean {
  let found = false;
  if (error instanceof BaseError) error.walk((e) => (found ||= e instanceof RpcRequestError && e.url === devnet.bundler?.bundlerUrl));
  return found;
}

/** The whole text of a viem error chain. */
function errorText(error: unknown): string {
  const parts: string[] = [];
  if (error instanceof BaseError) error.walk((e) => (parts.push((e as BaseError).details ?? '', (e as BaseError).shortMessage ?? ''), false));
  return parts.join(' ');
}

/** Sends a user operation straight to the bundler, with no code-side simulation in front. */
async function rawUserOperation(key: LocalAccount, calls: readonly AgentCall[], gas: Partial<typeof fixedGas> = {}) {
  const { account, bundlerClient } = await agent.rawUserOp(key);
  const hash = await bundlerClient.sendUserOperation({ account, calls: calls.map((c) => ({ to: c.to, value: 0n, data: c.data ?? '0x' })), ...gas });
  return bundlerClient.waitForUserOperationReceipt({ hash, timeout: 30_000 });
}

describe('allowed calls', () => {
  for (const transport of transports) {
    it(`harvests the vault after a warp (${transport})`, async () => {
      await warp(devnet.publicClient, 30);
      const read = devnet.publicClient.readContract;
      const pending = await read({ address: devnet.deployment.agent.vault, abi: yieldVaultAbi, functionName: 'pendingYield' });
      const before = await read({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [devnet.deployment.agent.tba] });
      expect(pending).toBeGreaterThan(0n);
      const result = await agent.wallet(sessionKey, transport).sendCalls([harvest()], 'harvest');
      const after = await read({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'balanceOf', args: [devnet.deployment.agent.tba] });
      // At least what was pending a block earlier; a block of accrual more at most.
      expect(after - before).toBeGreaterThanOrEqual(pending);
      expect(after - before).toBeLessThan(pending + pending / 1000n + 1000n);
      expect(result.gasUsed).toBeGreaterThan(0n);
      if (transport === 'userop') expect(result.userOpHash).toMatch(/^0x[0-9a-f]{64}$/);
    });

    it(`approves USDx to the market within the budget (${transport})`, async () => {
      const amount = transport === 'direct' ? usdx('10') : usdx('20');
      const before = await agent.snapshot(sessionKey.address);
      await agent.wallet(sessionKey, transport).sendCalls([approve(devnet.deployment.computeMarket, amount)], 'approve');
      const after = await agent.snapshot(sessionKey.address);
      expect(after.allowances[0]).toBe(amount);
      expect(after.tokenSpent - before.tokenSpent).toBe(amount);
      expect(after.accountState).not.toBe(before.accountState);
      if (transport === 'direct') expect(after.keyNonce).toBe(before.keyNonce + 1);
      else expect(after.entryPointNonce).toBe(before.entryPointNonce + 1n);
    });
  }
});

describe('forbidden calls are refused with a typed error and change nothing', () => {
  const forbidden: { name: string; calls: () => AgentCall[]; error: string; validationWall: boolean }[] = [
    {
      name: 'another target',
      calls: () => [{ to: devnet.deployment.susdx, data: encodeFunctionData({ abi: yieldVaultAbi, functionName: 'harvest' }) }],
      error: 'SessionKeys_CallNotAllowed',
      validationWall: true,
    },
    {
      name: 'another selector (transfer)',
      calls: () => [{ to: devnet.deployment.usdx, data: encodeFunctionData({ abi: usdxAbi, functionName: 'transfer', args: [devnet.deployment.computeMarket, 1n] }) }],
      error: 'SessionKeys_CallNotAllowed',
      validationWall: true,
    },
    { name: 'approve to a non-counterparty', calls: () => [approve(stranger, 1n)], error: 'SessionKeys_CounterpartyNotAllowed', validationWall: false },
    {
      // Issue 10 item 2: a stolen key opening a channel to itself (as provider and signer) to redeem its budget.
      name: 'open a channel to the key itself',
      calls: () => [{ to: devnet.deployment.computeMarket, data: encodeFunctionData({ abi: computeMarketAbi, functionName: 'open', args: [sessionKey.address, sessionKey.address, 1n] }) }],
      error: 'SessionKeys_ArgumentNotAllowed',
      validationWall: true,
    },
    { name: 'approve over the daily budget', calls: () => [approve(devnet.deployment.computeMarket, usdx('100.000001'))], error: 'SessionKeys_BudgetExceeded', validationWall: false },
  ];

  for (const transport of transports) {
    for (const { name, calls, error } of forbidden) {
      it(`${name} (${transport}, code-side simulation)`, async () => {
        const before = await agent.snapshot(sessionKey.address, [stranger]);
        const thrown = await refusal(() => agent.wallet(sessionKey, transport).sendCalls(calls()));
        expect(thrown).toBeInstanceOf(PolicyViolationError);
        expect((thrown as Error).message).toContain(error);
        expect(await agent.snapshot(sessionKey.address, [stranger])).toEqual(before);
      });
    }
  }

  for (const { name, calls, error } of forbidden) {
    it(`${name} (direct, sent unsimulated: the chain reverts it)`, async () => {
      const before = await agent.snapshot(sessionKey.address, [stranger]);
      const keyClient = agent.keyClient(sessionKey);
      const hash = await keyClient.sendTransaction({ to: devnet.deployment.agent.tba, data: encodeAgentCalls(calls()), gas: 500_000n });
      const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
      expect(receipt.status).toBe('reverted');
      const after = await agent.snapshot(sessionKey.address, [stranger]);
      // Only the key's nonce moved (it paid for the reverted transaction); no policy state did.
      expect({ ...after, keyNonce: before.keyNonce }).toEqual(before);
      expect(after.keyNonce).toBe(before.keyNonce + 1);
      // The same call replayed on the state it met reverts for the policy reason.
      const replay = await refusal(() =>
        devnet.publicClient.call({ account: sessionKey.address, to: devnet.deployment.agent.tba, data: encodeAgentCalls(calls()), blockNumber: receipt.blockNumber - 1n }),
      );
      expect(toWalletError(replay, name).message).toContain(error);
    });
  }

  for (const { name, calls, error, validationWall } of forbidden) {
    it(`${name} (userop sent straight to the bundler: ${validationWall ? 'validation' : 'execution'} refuses it)`, async () => {
      const before = await agent.snapshot(sessionKey.address, [stranger]);
      const thrown = await refusal(() => rawUserOperation(sessionKey, calls()));
      expect(bundlerRefused(thrown)).toBe(true);
      const typed = toWalletError(thrown, name);
      expect(typed).toBeInstanceOf(PolicyViolationError);
      expect(typed.message).toContain(error);
      expect(errorText(thrown)).toMatch(/reverted during simulation/);
      expect(await agent.snapshot(sessionKey.address, [stranger])).toEqual(before);
    });
  }

  // With the gas given, the bundler skips estimation: what is left is the EntryPoint itself.
  for (const { name, calls, error } of forbidden.filter((f) => f.validationWall)) {
    it(`${name} (userop with fixed gas: validateUserOp rejects it in simulateValidation)`, async () => {
      const before = await agent.snapshot(sessionKey.address, [stranger]);
      const thrown = await refusal(() => rawUserOperation(sessionKey, calls(), fixedGas));
      expect(bundlerRefused(thrown)).toBe(true);
      expect(errorText(thrown)).toMatch(/AA23|simulateValidation/);
      expect(toWalletError(thrown, name).message).toContain(error);
      expect(await agent.snapshot(sessionKey.address, [stranger])).toEqual(before);
    });
  }

  for (const { name, calls, error } of forbidden.filter((f) => !f.validationWall)) {
    it(`${name} (userop with fixed gas: passes validation, the execution reverts on chain)`, async () => {
      const before = await agent.snapshot(sessionKey.address, [stranger]);
      const result = await rawUserOperation(sessionKey, calls(), fixedGas);
      expect(result.success).toBe(false);
      expect(decodeErrorResult({ abi: agentAccountAbi, data: result.reason as Hex }).errorName).toBe(error);
      const after = await agent.snapshot(sessionKey.address, [stranger]);
      // The operation was paid for (charged to the gas allowance, so state() moved) and its nonce used;
      // the policy and the allowances did not move.
      expect(after.entryPointNonce).toBe(before.entryPointNonce + 1n);
      expect(after.accountState).not.toBe(before.accountState);
      expect({ ...after, entryPointNonce: before.entryPointNonce, accountState: before.accountState }).toEqual(before);
    });
  }
});

describe('a session that is no longer valid is refused', () => {
  /** Every way to send, each expected to refuse `key` with `ErrorClass`; nothing may change. */
  async function expectRefusedEverywhere(
    key: LocalAccount,
    call: AgentCall,
    expected: { ErrorClass: ErrorClass; raw: ErrorClass; rawText: RegExp },
  ) {
    const before = await agent.snapshot(key.address, [stranger]);
    for (const transport of transports) {
      const thrown = await refusal(() => agent.wallet(key, transport).sendCalls([call]));
      expect(thrown, transport).toBeInstanceOf(expected.ErrorClass);
    }
    const estimated = await refusal(() => rawUserOperation(key, [call]));
    expect(bundlerRefused(estimated)).toBe(true);
    expect(toWalletError(estimated, 'raw userop')).toBeInstanceOf(expected.raw);
    expect(errorText(estimated)).toMatch(expected.rawText);
    expect(await agent.snapshot(key.address, [stranger])).toEqual(before);
  }

  it('after expiry (a one-hour session, then a two-hour warp)', async () => {
    const key = privateKeyToAccount(generatePrivateKey());
    await agent.grant(key.address, { validForSeconds: 3_600 });
    // The key works while valid, so the refusal below is the expiry and nothing else.
    await agent.wallet(key, 'direct').sendCalls([approve(devnet.deployment.computeMarket, 1n)]);
    await warp(devnet.publicClient, 2 / 24);
    await expectRefusedEverywhere(key, approve(devnet.deployment.computeMarket, 2n), {
      ErrorClass: SessionExpiredError,
      raw: SessionExpiredError,
      // alto's estimation ignores the window; the simulated execution reverts with SessionKeys_Expired.
      rawText: /reverted during simulation/,
    });
    const fixed = await refusal(() => rawUserOperation(key, [approve(devnet.deployment.computeMarket, 2n)], fixedGas));
    expect(errorText(fixed)).toMatch(/AA22/);
    expect(toWalletError(fixed, 'raw userop')).toBeInstanceOf(SessionExpiredError);
  });

  it('after revoke', async () => {
    const key = privateKeyToAccount(generatePrivateKey());
    await agent.grant(key.address, { validForSeconds: 86_400 });
    await agent.wallet(key, 'userop').sendCalls([approve(devnet.deployment.computeMarket, 3n)]);
    await agent.revoke(key.address);
    await expectRefusedEverywhere(key, approve(devnet.deployment.computeMarket, 4n), {
      ErrorClass: SessionRevokedError,
      raw: SessionRevokedError,
      rawText: /reverted during simulation/,
    });
    // Past estimation, validateUserOp answers SIG_VALIDATION_FAILED for a key without a session: AA24.
    const fixed = await refusal(() => rawUserOperation(key, [approve(devnet.deployment.computeMarket, 4n)], fixedGas));
    expect(bundlerRefused(fixed)).toBe(true);
    expect(errorText(fixed)).toMatch(/AA24/);
    expect(toWalletError(fixed, 'raw userop')).toBeInstanceOf(UserOperationRejectedError);
  });

  it('after the agent NFT changes hands, and again once it comes back to the owner who granted it', async () => {
    const { agentNft, computeMarket, agent: agentInfo } = devnet.deployment;
    const owner = devAccount(devRoles.owner).account.address;
    const buyer = devAccount(9);
    await agent.confirm(await agent.owner.writeContract({ address: agentNft, abi: agentNftAbi, functionName: 'transferFrom', args: [owner, buyer.account.address, BigInt(agentInfo.tokenId)] }));
    const [, , active] = await devnet.publicClient.readContract({ address: agentInfo.tba, abi: agentAccountAbi, functionName: 'getSession', args: [sessionKey.address] });
    expect(active).toBe(false);

    await expectRefusedEverywhere(sessionKey, approve(computeMarket, 5n), {
      ErrorClass: SessionRevokedError,
      raw: SessionRevokedError,
      rawText: /reverted during simulation/,
    });
    // AgentNFT told the account about the transfer (its owner epoch), so validation itself refuses
    // the old key (AA24): it can no longer make the new owner's account pay for gas. (It used to pass
    // validation and be mined as a failed, paid-for operation.)
    const before = await agent.snapshot(sessionKey.address, [stranger]);
    const fixed = await refusal(() => rawUserOperation(sessionKey, [approve(computeMarket, 5n)], fixedGas));
    expect(bundlerRefused(fixed)).toBe(true);
    expect(errorText(fixed)).toMatch(/AA24/);
    expect(await agent.snapshot(sessionKey.address, [stranger])).toEqual(before);

    const back = createWalletClient({ chain: foundry, transport: http(devnet.anvil.rpcUrl), account: buyer.account });
    await agent.confirm(await back.writeContract({ address: agentNft, abi: agentNftAbi, functionName: 'transferFrom', args: [buyer.account.address, owner, BigInt(agentInfo.tokenId)] }));
    await agent.wallet(sessionKey, 'direct').sendCalls([approve(computeMarket, 6n)]);
    const allowance = await devnet.publicClient.readContract({ address: devnet.deployment.usdx, abi: usdxAbi, functionName: 'allowance', args: [agentInfo.tba, computeMarket] });
    expect(allowance).toBe(6n);
  });
});

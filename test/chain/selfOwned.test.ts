import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress, parseAbiItem, zeroAddress, type Address, type Hex } from 'viem';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { agentGovernorAbi } from '../../chain/abi/generated/agentGovernor.js';
import { agentNftAbi } from '../../chain/abi/generated/agentNft.js';
import { charterAbi } from '../../chain/abi/generated/charter.js';
import { timelockControllerAbi } from '../../chain/abi/generated/timelockController.js';
import { yieldVaultAbi } from '../../chain/abi/generated/yieldVault.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

// The self-owned default: after bootstrap no externally owned account holds any power over the
// agent. The audit reads every power slot from the chain's own logs (every RoleGranted/RoleRevoked,
// OwnershipTransferred, GuardianSet and MinterSet any contract ever emitted), not from a list of
// contracts we expect, so a contract that grew a new owner would show up here.

let devnet: TestDevnet;
const audit: string[] = [];

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false, guardianKeeper: devAccount(7).account.address });
});

afterAll(async () => {
  // The lead's closing note quotes this table.
  console.log(`\nrole audit (self-owned devnet)\n${audit.join('\n')}\n`);
  await devnet?.dispose();
});

describe('a self-owned agent', () => {
  it('leaves no power with any externally owned account', async () => {
    const { publicClient, deployment } = devnet;
    const governance = deployment.governance;
    if (!governance) throw new Error('no governance in the default deployment');
    const names = new Map<string, string>([
      [deployment.usdx, 'USDx'],
      [deployment.susdx, 'sUSDx'],
      [deployment.agentNft, 'AgentNFT'],
      [deployment.computeMarket, 'ComputeMarket'],
      [deployment.agent.tba, 'agent TBA'],
      [deployment.agent.vault, 'YieldVault'],
      [governance.timelock, 'TimelockController'],
      [governance.governor, 'AgentGovernor'],
      [governance.charter, 'Charter'],
      ...(governance.guardian ? ([[governance.guardian, 'SessionGuardian']] as const) : []),
      [zeroAddress, 'anyone (open role)'],
    ].map(([a, n]) => [getAddress(a), n]));
    const name = (a: Address) => names.get(getAddress(a)) ?? getAddress(a);
    const isEoa = async (a: Address) => {
      if (getAddress(a) === zeroAddress) return false;
      const code = await publicClient.getCode({ address: a });
      return !code || code === '0x';
    };
    type Log = { address: Address; blockNumber: bigint; logIndex: number; args: unknown };
    const logs = async (event: string) =>
      (await publicClient.getLogs({ event: parseAbiItem(event) as never, fromBlock: 0n, toBlock: 'latest' })) as unknown as Log[];
    const eoaPowers: string[] = [];
    const record = async (line: string, holder: Address, eoaAllowed = false) => {
      const eoa = await isEoa(holder);
      const kind = getAddress(holder) === zeroAddress ? 'open' : eoa ? 'EOA' : 'contract';
      audit.push(`  ${line.padEnd(64)} ${kind}`);
      if (eoa && !eoaAllowed) eoaPowers.push(line);
    };

    // AccessControl: replay every grant and revoke, then confirm each holder with hasRole.
    const roleLogs = [
      ...(await logs('event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)')).map((l) => ({ l, granted: true })),
      ...(await logs('event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender)')).map((l) => ({ l, granted: false })),
    ].sort((a, b) => Number(a.l.blockNumber - b.l.blockNumber) || a.l.logIndex - b.l.logIndex);
    const holders = new Map<string, { contract: Address; role: Hex; account: Address }>();
    for (const { l, granted } of roleLogs) {
      const { role, account } = (l as unknown as { args: { role: Hex; account: Address } }).args;
      const key = `${l.address}/${role}/${getAddress(account)}`;
      if (granted) holders.set(key, { contract: l.address, role, account });
      else holders.delete(key);
    }
    expect(roleLogs.length).toBeGreaterThan(0);
    const roleName = new Map<string, string>();
    for (const fn of ['DEFAULT_ADMIN_ROLE', 'PROPOSER_ROLE', 'CANCELLER_ROLE', 'EXECUTOR_ROLE'] as const) {
      roleName.set(await publicClient.readContract({ address: governance.timelock, abi: timelockControllerAbi, functionName: fn }), fn);
    }
    for (const { contract, role, account } of holders.values()) {
      const has = await publicClient.readContract({ address: contract, abi: timelockControllerAbi, functionName: 'hasRole', args: [role, account] });
      expect(has).toBe(true);
      await record(`${name(contract)} ${roleName.get(role) ?? role} -> ${name(account)}`, account);
    }
    // The deployer was a temporary admin and proposer, and is none now.
    const deployer = devAccount(devRoles.owner).account.address;
    for (const role of roleName.keys()) {
      expect(await publicClient.readContract({ address: governance.timelock, abi: timelockControllerAbi, functionName: 'hasRole', args: [role as Hex, deployer] })).toBe(false);
    }

    // Ownable: the last OwnershipTransferred of every contract that ever emitted one.
    const owners = new Map<string, Address>();
    for (const l of await logs('event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)')) {
      owners.set(getAddress(l.address), (l as unknown as { args: { newOwner: Address } }).args.newOwner);
    }
    expect(owners.size).toBeGreaterThanOrEqual(3);
    for (const [contract, owner] of owners) {
      const now = await publicClient.readContract({ address: contract as Address, abi: agentNftAbi, functionName: 'owner' });
      expect(getAddress(now)).toBe(getAddress(owner));
      await record(`${name(contract as Address)} owner -> ${name(owner)}`, owner);
    }

    // USDx minters (MinterSet), the NFT's holder, the TBA's owner and guardian.
    for (const l of await logs('event MinterSet(address indexed minter, bool allowed)')) {
      const { minter, allowed } = (l as unknown as { args: { minter: Address; allowed: boolean } }).args;
      if (allowed) await record(`${name(l.address)} minter -> ${name(minter)}`, minter);
    }
    const holder = await publicClient.readContract({ address: deployment.agentNft, abi: agentNftAbi, functionName: 'ownerOf', args: [BigInt(deployment.agent.tokenId)] });
    await record(`AgentNFT #${deployment.agent.tokenId} holder -> ${name(holder)}`, holder);
    const tbaOwner = await publicClient.readContract({ address: deployment.agent.tba, abi: agentAccountAbi, functionName: 'owner' });
    expect(getAddress(tbaOwner)).toBe(getAddress(governance.timelock));
    await record(`agent TBA owner() -> ${name(tbaOwner)}`, tbaOwner);
    const guardian = await publicClient.readContract({ address: deployment.agent.tba, abi: agentAccountAbi, functionName: 'guardian' });
    expect(getAddress(guardian)).toBe(getAddress(governance.guardian ?? zeroAddress));
    await record(`agent TBA guardian() -> ${name(guardian)} (revoke-only)`, guardian);
    for (const l of await logs('event GuardianSet(address indexed owner, address indexed guardian)')) {
      const { owner } = (l as unknown as { args: { owner: Address } }).args;
      expect(getAddress(owner)).toBe(getAddress(governance.timelock)); // only the timelock ever set one
    }
    const [, grantedBy, active] = await publicClient.readContract({ address: deployment.agent.tba, abi: agentAccountAbi, functionName: 'getSession', args: [deployment.agent.sessionKey] });
    expect(active).toBe(true);
    expect(getAddress(grantedBy)).toBe(getAddress(governance.timelock));
    await record(`agent session granted by -> ${name(grantedBy)}`, grantedBy);
    // The session key is the agent's own scoped key (an EOA by nature): listed, not a power over the agent.
    await record(`agent session key (the agent itself, scoped) ${deployment.agent.sessionKey}`, deployment.agent.sessionKey, true);

    // Slots without an owner: the vault pays only its beneficiary, the charter's writer, the governor's executor.
    const beneficiary = await publicClient.readContract({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'beneficiary' });
    expect(getAddress(beneficiary)).toBe(getAddress(deployment.agent.tba));
    await record(`YieldVault beneficiary -> ${name(beneficiary)}`, beneficiary);
    const writer = await publicClient.readContract({ address: governance.charter, abi: charterAbi, functionName: 'writer' });
    await record(`Charter writer -> ${name(writer)}`, writer);
    const executor = await publicClient.readContract({ address: governance.governor, abi: agentGovernorAbi, functionName: 'timelock' });
    await record(`AgentGovernor timelock -> ${name(executor)}`, executor);
    if (governance.guardian) {
      const keeper = await publicClient.readContract({ address: governance.guardian, abi: (await import('../../chain/abi/generated/sessionGuardian.js')).sessionGuardianAbi, functionName: 'keeper' });
      await record(`SessionGuardian keeper (may only revoke sessions) -> ${keeper}`, keeper, true);
    }
    expect(await publicClient.readContract({ address: governance.timelock, abi: timelockControllerAbi, functionName: 'getMinDelay' })).toBe(86_400n);

    expect(eoaPowers).toEqual([]);
  });

  it('publishes the agent as its NFT: tokenURI is a live ERC-8004-shaped identity', async () => {
    const { publicClient, deployment } = devnet;
    const uri = await publicClient.readContract({ address: deployment.agentNft, abi: agentNftAbi, functionName: 'tokenURI', args: [BigInt(deployment.agent.tokenId)] });
    const prefix = 'data:application/json;base64,';
    expect(uri.startsWith(prefix)).toBe(true);
    const identity = JSON.parse(Buffer.from(uri.slice(prefix.length), 'base64').toString('utf8')) as {
      name: string;
      image: string;
      wallet: Address;
      endpoints: { name: string; endpoint: string }[];
      charter: { address: Address; version: number; constitutionHash: Hex };
    };
    const hash = await publicClient.readContract({ address: deployment.governance?.charter ?? zeroAddress, abi: charterAbi, functionName: 'constitutionHash' });
    expect(identity.name).toBe('y2c agent #1');
    expect(identity.image).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(getAddress(identity.wallet)).toBe(getAddress(deployment.agent.tba));
    expect(identity.endpoints).toContainEqual({ name: 'chat', endpoint: 'http://127.0.0.1:8788' });
    expect(identity.endpoints).toContainEqual({ name: 'agentWallet', endpoint: `eip155:31337:${deployment.agent.tba.toLowerCase()}` });
    expect(identity.charter).toEqual({ address: (deployment.governance?.charter ?? '').toLowerCase(), version: 1, constitutionHash: hash });
  });

  it('gives the demo stakers their votes without a delegate step', async () => {
    const { publicClient, deployment } = devnet;
    for (const i of [0, 1, 2]) {
      const staker = devAccount(devRoles.firstStaker + i).account.address;
      const [principal, votes, delegate] = await Promise.all([
        publicClient.readContract({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [staker] }),
        publicClient.readContract({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'getVotes', args: [staker] }),
        publicClient.readContract({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'delegates', args: [staker] }),
      ]);
      expect(principal).toBeGreaterThan(0n);
      expect(votes).toBe(principal);
      expect(getAddress(delegate)).toBe(getAddress(staker));
    }
    const total = await publicClient.readContract({ address: deployment.agent.vault, abi: yieldVaultAbi, functionName: 'totalPrincipal' });
    expect(total).toBeGreaterThan(0n);
  });
});

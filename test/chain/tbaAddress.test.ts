import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAddress, zeroHash } from 'viem';
import { agentNftAbi } from '../../chain/abi/generated/agentNft.js';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { erc6551RegistryAbi } from '../../chain/abi/generated/erc6551Registry.js';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { runCast } from '../fixtures/runCast.js';
import { startTestDevnet, type TestDevnet } from '../fixtures/startTestDevnet.js';

// EIP-6551's reference registry deploys this 183-byte ERC-1167-style proxy with CREATE2 (salt as given):
// header ++ implementation ++ footer ++ abi.encode(salt, chainId, tokenContract, tokenId).
const proxyHeader = '0x3d60ad80600a3d3981f3363d3d373d3d3d363d73';
const proxyFooter = '0x5af43d82803e903d91602b57fd5bf3';

let devnet: TestDevnet;

beforeAll(async () => {
  devnet = await startTestDevnet({ bundler: false });
});

afterAll(async () => {
  await devnet?.dispose();
});

describe('the agent TBA address', () => {
  it('is what the registry computes and what cast computes from the EIP-6551 proxy init code', async () => {
    const { deployment, publicClient } = devnet;
    const { agent } = deployment;
    const registryAnswer = await publicClient.readContract({
      address: deployment.erc6551Registry,
      abi: erc6551RegistryAbi,
      functionName: 'account',
      args: [deployment.accountImplementation, zeroHash, BigInt(deployment.chainId), deployment.agentNft, BigInt(agent.tokenId)],
    });

    // Built with cast alone: padding, concatenation, hashing and the CREATE2 formula.
    const word = (value: string) => runCast(['to-uint256', value]);
    const initCode = runCast([
      'concat-hex',
      proxyHeader,
      deployment.accountImplementation,
      proxyFooter,
      zeroHash,
      word(String(deployment.chainId)),
      runCast(['abi-encode', 'f(address)', deployment.agentNft]),
      word(agent.tokenId),
    ]);
    expect((initCode.length - 2) / 2).toBe(183);
    const fromInitCode = runCast(['compute-address', deployment.erc6551Registry, '--salt', zeroHash, '--init-code', initCode]);
    const fromHash = runCast([
      'compute-address',
      deployment.erc6551Registry,
      '--salt',
      zeroHash,
      '--init-code-hash',
      runCast(['keccak', initCode]),
    ]);
    const castAddress = (output: string) => getAddress(/0x[0-9a-fA-F]{40}/.exec(output)?.[0] ?? 'missing');

    expect(castAddress(fromInitCode)).toBe(getAddress(agent.tba));
    expect(castAddress(fromHash)).toBe(getAddress(agent.tba));
    expect(getAddress(registryAnswer)).toBe(getAddress(agent.tba));
  });

  it('holds the proxy runtime code that delegates to the implementation, bound to NFT #1', async () => {
    const { deployment, publicClient } = devnet;
    const code = await publicClient.getCode({ address: deployment.agent.tba });
    // The runtime is the init code minus its 10-byte header: proxy ++ implementation ++ footer ++ context.
    expect(code?.toLowerCase()).toContain(deployment.accountImplementation.slice(2).toLowerCase());
    const [chainId, tokenContract, tokenId] = await publicClient.readContract({
      address: deployment.agent.tba,
      abi: agentAccountAbi,
      functionName: 'token',
    });
    expect([chainId, getAddress(tokenContract), tokenId]).toEqual([31337n, getAddress(deployment.agentNft), 1n]);
    const owner = await publicClient.readContract({ address: deployment.agentNft, abi: agentNftAbi, functionName: 'ownerOf', args: [1n] });
    // Self-owned by default: the community's timelock holds the NFT, so it owns the TBA.
    const timelock = deployment.governance?.timelock;
    expect(timelock).toBeDefined();
    expect(getAddress(owner)).toBe(getAddress(timelock ?? '0x'));
    expect(getAddress(owner)).not.toBe(devAccount(devRoles.owner).account.address);
    const tbaOwner = await publicClient.readContract({ address: deployment.agent.tba, abi: agentAccountAbi, functionName: 'owner' });
    expect(getAddress(tbaOwner)).toBe(getAddress(owner));
  });

  it('differs for another token id, so the cross-check is not vacuous', async () => {
    const { deployment } = devnet;
    const initCode = (tokenId: string) =>
      runCast([
        'concat-hex',
        proxyHeader,
        deployment.accountImplementation,
        proxyFooter,
        zeroHash,
        runCast(['to-uint256', String(deployment.chainId)]),
        runCast(['abi-encode', 'f(address)', deployment.agentNft]),
        runCast(['to-uint256', tokenId]),
      ]);
    const other = runCast(['compute-address', deployment.erc6551Registry, '--salt', zeroHash, '--init-code', initCode('2')]);
    expect(other.toLowerCase()).not.toContain(deployment.agent.tba.slice(2).toLowerCase());
  });
});

import { getAddress, type Address } from 'viem';
import { describe, expect, it } from 'vitest';
import { checkPresetAddresses } from './checkPresetAddresses.js';
import { ConfigError } from './ConfigError.js';
import { loadConfig } from './loadConfig.js';
import { networkPresets, type NetworkPreset } from './networkPresets.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'y2c-presets-'));

describe('network presets', () => {
  it.each(Object.entries(networkPresets))('%s: every address is well formed and EIP-55 checksummed', (name, preset) => {
    expect(() => checkPresetAddresses(name, preset)).not.toThrow();
  });

  it('loads the Base preset: chain 8453, USDC through the Spark PSM into sUSDS, SwapRouter02', () => {
    const config = loadConfig({ cwd: emptyDir(), env: { Y2C_NETWORK: 'base', Y2C_RPC_URL: 'https://mainnet.base.org', Y2C_TRANSPORT: 'direct' } });
    expect(config.chain.id).toBe(8453);
    expect(config.chain.devnet).toBe(false);
    expect(config.chain.entryPoint).toBe('0x0000000071727De22E5E9d8BAf0edAc6f37da032');
    const assets = config.chain.assets;
    expect(assets?.usdc).toBe('0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913');
    expect(assets?.weth).toBe('0x4200000000000000000000000000000000000006');
    expect(assets?.usdYield).toMatchObject({ kind: 'sparkPsm', asset: assets?.usdc, psm: '0x1601843c5E9bC251A3272907010AFa41Fa18347E' });
    expect(assets?.ethYield.stETH).toBeUndefined(); // only bridged wstETH on Base
    expect(assets?.uniswapV3.routerKind).toBe('SwapRouter02');
  });

  it('loads the Ethereum preset: chain 1, sUSDS as ERC-4626 over USDS, wstETH over stETH, SwapRouter', () => {
    const config = loadConfig({ cwd: emptyDir(), env: { Y2C_NETWORK: 'ethereum', Y2C_RPC_URL: 'https://eth.example.org', Y2C_TRANSPORT: 'direct' } });
    expect(config.chain.id).toBe(1);
    expect(config.chain.assets?.usdYield).toMatchObject({ kind: 'erc4626', token: '0xa3931d71877C0E7a3148CB7Eb4463524FEc27fbD' });
    expect(config.chain.assets?.ethYield.stETH).toBe('0xae7ab96520DE3A18E5e111B5EaAb095312D7fE84');
    expect(config.chain.assets?.uniswapV3.router).toBe('0xE592427A0AEce92De3Edee1F18E0157C05861564');
  });

  it('the devnet and the testnet carry no real-asset preset', () => {
    expect(loadConfig({ cwd: emptyDir(), env: {} }).chain.assets).toBeUndefined();
  });

  it('a mistyped character in a preset address fails, naming the entry and the checksum', () => {
    const psm = networkPresets.base.assets.usdYield.psm;
    const typo = `${psm.slice(0, -1)}F` as Address; // ...347E -> ...347F
    expect(getAddress(typo)).not.toBe(typo); // the typo really breaks the checksum
    const broken: NetworkPreset = { ...networkPresets.base, assets: { ...networkPresets.base.assets, usdYield: { ...networkPresets.base.assets.usdYield, psm: typo } } };
    let error: unknown;
    try {
      checkPresetAddresses('base', broken);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).option).toBe('networkPresets.base.assets.usdYield.psm');
    expect((error as ConfigError).message).toContain(typo);
    expect((error as ConfigError).message).toContain('EIP-55 checksummed');
    expect((error as ConfigError).message).toContain(getAddress(typo));
  });

  it('a preset address of the wrong length fails', () => {
    const broken: NetworkPreset = { ...networkPresets.ethereum, entryPoint: '0x0000000071727De22E5E9d8BAf0edAc6f37da03' };
    expect(() => checkPresetAddresses('ethereum', broken)).toThrow(/networkPresets\.ethereum\.entryPoint.*20-byte/s);
  });
});

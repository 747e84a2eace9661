import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/loadConfig.js';
import { treasuryParamsFromConfig } from './treasuryParamsFromConfig.js';

describe('treasuryParamsFromConfig', () => {
  it('maps the defaults of the config to policy parameters', () => {
    const config = loadConfig({ cwd: mkdtempSync(join(tmpdir(), 'y2c-policy-')), env: {}, overrides: { chain: { transport: 'direct' } } });
    expect(treasuryParamsFromConfig({ config })).toEqual({
      transport: 'direct',
      token: { symbol: 'USDx', decimals: 6 },
      harvestGasMultiple: 10n,
      criticalRunwayHours: 2,
      reserve: 1_000_000n,
      minDeposit: 1_000_000n,
      idleCloseHours: 72,
      sessionGasFloor: 2_000_000_000_000_000n,
      sessionGasTarget: 10_000_000_000_000_000n,
      tbaEthReserve: 0n,
      minSuccessRate: 0.9,
      maxP50LatencyMs: 30_000,
      minSamples: 5,
      typicalRequest: { tokensIn: 2000n, tokensOut: 500n },
      // Bond before trust: the local world's provider bond (provider.bond, 10 USDx).
      minProviderBond: 10_000_000n,
    });
    expect(treasuryParamsFromConfig({ config, minSamples: 1, tbaEthReserve: 7n })).toMatchObject({ minSamples: 1, tbaEthReserve: 7n });
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './ConfigError.js';
import { loadConfig, type LoadConfigParameters } from './loadConfig.js';

const market = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
const sepoliaDeployment = {
  agentNft: '0x1111111111111111111111111111111111111111',
  accountImplementation: '0x2222222222222222222222222222222222222222',
  vault: '0x3333333333333333333333333333333333333333',
  market,
  paymentToken: '0x4444444444444444444444444444444444444444',
};

function dirWith(config?: unknown, name = 'y2c.config.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'y2c-config-'));
  if (config !== undefined) writeFileSync(join(dir, name), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

function errorOf(parameters: LoadConfigParameters): ConfigError {
  try {
    loadConfig(parameters);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives a complete local config from defaults alone', () => {
    const cwd = dirWith();
    const config = loadConfig({ cwd, env: {} });
    expect(config.network).toBe('local');
    expect(config.chain.id).toBe(31337);
    expect(config.chain.erc6551Registry).toBe('0x000000006551c19487814612e58FE06813775758');
    expect(config.chain.entryPoint).toBe('0x0000000071727De22E5E9d8BAf0edAc6f37da032');
    expect(config.chain.rpcUrl).toBeUndefined();
    expect(config.chain.deployment).toBeUndefined();
    expect(config.dataDir).toBe(join(cwd, '.y2c'));
    expect(config.configFile).toBeUndefined();
    expect(config.provider.backend).toBe('llama');
    expect(config.provider.priceInPerMTok).toBe(500_000n);
    expect(config.agent.caps.dailyComputeBudget).toBe(10_000_000n);
    expect(config.agent.treasury.sessionGasFloor).toBe(2_000_000_000_000_000n);
    expect(config.agent.pass).toEqual({ kind: 'stake', minStake: 1_000_000n });
    expect(config.devnet.warpAllowed).toBe(true);
    expect(config.keys).toEqual({ owner: undefined, staker: undefined });
  });

  it('reads a valid file and normalises it', () => {
    const cwd = dirWith({
      dataDir: 'state',
      chain: { transport: 'direct', ethPriceInToken: '2500.5' },
      devnet: { anvilPort: 9545, aprBps: 500 },
      provider: { upstream: { url: 'https://api.example.com/v1', modelMap: { 'y2c-chat': 'gpt-4o-mini' } }, priceOutPerMTok: '2', llama: { modelPath: 'models/m.gguf' } },
      agent: {
        trustedProviders: [market.toLowerCase(), market],
        caps: { perRequestCap: '0.000001' },
        pass: { kind: 'erc721', token: market.toLowerCase() },
        schedules: { treasury: '*/1 * * * *' },
      },
    });
    const config = loadConfig({ cwd, env: {} });
    expect(config.configFile).toBe(join(cwd, 'y2c.config.json'));
    expect(config.dataDir).toBe(join(cwd, 'state'));
    expect(config.chain.transport).toBe('direct');
    expect(config.chain.ethPriceInToken).toBe(2_500_500_000n);
    expect(config.devnet.anvilPort).toBe(9545);
    expect(config.devnet.aprBps).toBe(500);
    expect(config.provider.backend).toBe('openai');
    expect(config.provider.upstream.modelMap).toEqual({ 'y2c-chat': 'gpt-4o-mini' });
    expect(config.provider.priceOutPerMTok).toBe(2_000_000n);
    expect(config.provider.llama.modelPath).toBe(join(cwd, 'models/m.gguf'));
    expect(config.agent.trustedProviders).toEqual([market]);
    expect(config.agent.caps.perRequestCap).toBe(1n);
    expect(config.agent.pass).toEqual({ kind: 'erc721', token: market });
    expect(config.agent.schedules).toEqual({ treasury: '*/1 * * * *', settle: '0 * * * *', reflect: '0 */6 * * *' });
  });

  it('lets the environment override the file, and overrides win over both', () => {
    const cwd = dirWith({ chain: { rpcUrl: 'http://file:1' }, provider: { port: 1000 }, logLevel: 'warn' });
    const env = {
      Y2C_RPC_URL: 'http://env:2',
      Y2C_PROVIDER_PORT: '2000',
      Y2C_DATA_DIR: '/var/y2c',
      Y2C_TRUSTED_PROVIDERS: `${market}, 0x1111111111111111111111111111111111111111`,
      Y2C_PROVIDER_UPSTREAM_URL: 'http://127.0.0.1:9999/v1',
      Y2C_PROVIDER_UPSTREAM_KEY: 'sk-test',
      Y2C_WARP_ALLOWED: 'false',
    };
    const config = loadConfig({ cwd, env, overrides: { logLevel: 'debug', provider: { port: 3000 } } });
    expect(config.chain.rpcUrl).toBe('http://env:2');
    expect(config.provider.port).toBe(3000);
    expect(config.logLevel).toBe('debug');
    expect(config.dataDir).toBe('/var/y2c');
    expect(config.agent.trustedProviders).toHaveLength(2);
    expect(config.provider.upstream).toMatchObject({ url: 'http://127.0.0.1:9999/v1', apiKey: 'sk-test' });
    expect(config.devnet.warpAllowed).toBe(false);
  });

  it('reads the file named by Y2C_CONFIG, and refuses a missing explicit file', () => {
    const cwd = dirWith({ logLevel: 'error' }, 'custom.json');
    expect(loadConfig({ cwd, env: { Y2C_CONFIG: 'custom.json' } }).logLevel).toBe('error');
    const error = errorOf({ cwd, env: {}, file: 'nope.json' });
    expect(error.message).toContain('nope.json');
    expect(error.message).toContain('Y2C_CONFIG');
  });

  it('refuses a file that is not JSON', () => {
    const error = errorOf({ cwd: dirWith('{ "network": '), env: {} });
    expect(error.message).toContain('not valid JSON');
  });

  it('loads base-sepolia without a deployment (y2c deploy makes one)', () => {
    const config = loadConfig({ cwd: dirWith({}), env: { Y2C_NETWORK: 'base-sepolia', Y2C_RPC_URL: 'https://sepolia.base.org', Y2C_TRANSPORT: 'direct' } });
    expect(config.chain.id).toBe(84532);
    expect(config.chain.deployment).toBeUndefined();
  });

  it('builds a base-sepolia config from file and environment', () => {
    const cwd = dirWith({ network: 'base-sepolia', chain: { deployment: sepoliaDeployment } });
    const config = loadConfig({
      cwd,
      env: { Y2C_RPC_URL: 'https://sepolia.base.org', Y2C_BUNDLER_URL: 'https://bundler.example/rpc', Y2C_OWNER_KEY: `0x${'ab'.repeat(32)}` },
    });
    expect(config.chain.id).toBe(84532);
    expect(config.chain.devnet).toBe(false);
    expect(config.chain.deployment).toMatchObject({ market, yieldSource: undefined });
    expect(config.devnet.warpAllowed).toBe(false);
    expect(config.keys.owner).toBe(`0x${'ab'.repeat(32)}`);
  });

  it('reads x402 buying: sellers checksummed and deduplicated, services named and priced in token units', () => {
    const cwd = dirWith({ agent: { x402: { sellers: [market.toLowerCase(), market], services: [{ url: 'https://seller.example/api/', maxPrice: '0.01' }, { name: 'answers', url: 'http://127.0.0.1:9/a', maxPrice: '1' }] } } });
    const config = loadConfig({ cwd, env: {} });
    expect(config.agent.x402.sellers).toEqual([market]);
    expect(config.agent.x402.services).toEqual([
      { name: 'seller.example', url: 'https://seller.example/api/', maxPrice: 10_000n },
      { name: 'answers', url: 'http://127.0.0.1:9/a', maxPrice: 1_000_000n },
    ]);
    expect(loadConfig({ cwd: dirWith(), env: {} }).agent.x402).toEqual({ sellers: [], services: [] });
  });

  // Each row: the input, the option the error must name, and fragments the message must contain.
  const badInputs: { name: string; file?: unknown; env?: Record<string, string>; option: string; contains: string[] }[] = [
    { name: 'wrong type in file', file: { provider: { port: 'eighty' } }, option: 'provider.port', contains: ['"eighty"', 'whole number', 'Y2C_PROVIDER_PORT', 'y2c.config.json'] },
    { name: 'wrong type from env', env: { Y2C_CHAT_PORT: 'abc' }, option: 'agent.chat.port', contains: ['"abc"', 'from Y2C_CHAT_PORT'] },
    { name: 'port out of range', file: { agent: { chat: { port: 70000 } } }, option: 'agent.chat.port', contains: ['70000', '65535'] },
    { name: 'unknown network', env: { Y2C_NETWORK: 'mainnet' }, option: 'network', contains: ['"mainnet"', '"local", "base-sepolia", "base" or "ethereum"', 'Y2C_NETWORK'] },
    { name: 'bad URL', file: { chain: { rpcUrl: 'not a url' } }, option: 'chain.rpcUrl', contains: ['"not a url"', 'URL', 'Y2C_RPC_URL'] },
    { name: 'bundler URL with wrong protocol', env: { Y2C_BUNDLER_URL: 'ftp://x.y' }, option: 'chain.bundlerUrl', contains: ['ftp://x.y', 'http'] },
    { name: 'amount with too many decimals', file: { agent: { caps: { dailyCap: '1.1234567' } } }, option: 'agent.caps.dailyCap', contains: ['"1.1234567"', '7 decimals, at most 6'] },
    { name: 'negative amount', file: { provider: { priceInPerMTok: '-1' } }, option: 'provider.priceInPerMTok', contains: ['"-1"', 'negative'] },
    { name: 'amount as a JSON number', file: { agent: { caps: { perRequestCap: 0.1 } } }, option: 'agent.caps.perRequestCap', contains: ['0.1', 'decimal string'] },
    { name: 'empty amount', file: { agent: { treasury: { reserve: '' } } }, option: 'agent.treasury.reserve', contains: ['empty'] },
    { name: 'bad address', file: { agent: { trustedProviders: ['0x123'] } }, option: 'agent.trustedProviders.0', contains: ['"0x123"', 'address', 'Y2C_TRUSTED_PROVIDERS'] },
    { name: 'bad x402 seller', file: { agent: { x402: { sellers: ['0x12'] } } }, option: 'agent.x402.sellers.0', contains: ['"0x12"', 'address', 'Y2C_X402_SELLERS'] },
    { name: 'x402 service with a bad URL', file: { agent: { x402: { services: [{ url: 'ftp://s.example', maxPrice: '1' }] } } }, option: 'agent.x402.services.0.url', contains: ['ftp://s.example', 'http'] },
    { name: 'x402 service price with too many decimals', file: { agent: { x402: { services: [{ url: 'https://s.example/', maxPrice: '0.0000001' }] } } }, option: 'agent.x402.services.0.maxPrice', contains: ['7 decimals, at most 6'] },
    {
      name: 'address with a typo (EIP-55 checksum broken)',
      file: { agent: { trustedProviders: ['0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02914'] } },
      option: 'agent.trustedProviders.0',
      contains: ['0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02914', 'checksum'],
    },
    { name: 'bad cron', file: { agent: { schedules: { settle: 'every hour' } } }, option: 'agent.schedules.settle', contains: ['"every hour"', 'cron'] },
    { name: 'unknown key', file: { chain: { rpcURL: 'http://x' } }, option: 'chain.rpcURL', contains: ['Unknown config option', '"chain.rpcUrl"?', 'bundlerUrl', 'rename or remove'] },
    { name: 'unknown top-level key', file: { colour: 'red' }, option: 'colour', contains: ['Unknown config option', 'known keys: network, dataDir'] },
    { name: 'bad log level', env: { Y2C_LOG_LEVEL: 'loud' }, option: 'logLevel', contains: ['"loud"', 'info'] },
    { name: 'base-sepolia without RPC', file: { network: 'base-sepolia', chain: { deployment: sepoliaDeployment } }, option: 'chain.rpcUrl', contains: ['Missing', 'required on network base-sepolia', 'Y2C_RPC_URL'] },
    {
      name: 'base-sepolia without bundler',
      file: { network: 'base-sepolia', chain: { rpcUrl: 'https://sepolia.base.org', deployment: sepoliaDeployment } },
      option: 'chain.bundlerUrl',
      contains: ['Missing', 'Y2C_BUNDLER_URL', 'transport'],
    },
    {
      name: 'base-sepolia with a partial deployment',
      env: { Y2C_NETWORK: 'base-sepolia', Y2C_RPC_URL: 'https://sepolia.base.org', Y2C_TRANSPORT: 'direct', Y2C_VAULT: `0x${'12'.repeat(20)}` },
      option: 'chain.deployment.agentNft',
      contains: ['Missing', 'Y2C_AGENT_NFT', 'partial'],
    },
    { name: 'openai backend without upstream', file: { provider: { backend: 'openai' } }, option: 'provider.upstream.url', contains: ['Missing', 'Y2C_PROVIDER_UPSTREAM_URL'] },
    { name: 'erc721 pass without token', file: { agent: { pass: { kind: 'erc721' } } }, option: 'agent.pass.token', contains: ['Missing', 'ERC-721'] },
    { name: 'key in the file', file: { keys: { owner: `0x${'11'.repeat(32)}` } }, option: 'keys.owner', contains: ['Y2C_OWNER_KEY', '(hidden)'] },
    { name: 'malformed key in env', env: { Y2C_STAKER_KEY: '0xdeadbeef' }, option: 'keys.staker', contains: ['(hidden)', 'private key'] },
    { name: 'gas target below floor', file: { agent: { treasury: { sessionGasFloor: '1', sessionGasTarget: '0.5' } } }, option: 'agent.treasury.sessionGasTarget', contains: ['"0.5"', 'sessionGasFloor'] },
  ];

  it.each(badInputs)('names the option on $name', ({ file, env, option, contains }) => {
    const error = errorOf({ cwd: dirWith(file), env: env ?? {} });
    expect(error.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    for (const fragment of contains) expect(error.message).toContain(fragment);
    expect(error.message).toContain('Expected:');
  });

  it('never prints secrets', () => {
    const error = errorOf({ cwd: dirWith(), env: { Y2C_OWNER_KEY: '0xsecretsecret' } });
    expect(error.message).not.toContain('secretsecret');
  });
});

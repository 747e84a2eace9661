/** One `Y2C_*` environment variable and the option it sets. */
export type ConfigEnvironmentVariable = {
  /** Variable name. */
  name: string;
  /** Dotted option path it sets. */
  option: string;
  /** How the text is read. */
  kind: 'string' | 'number' | 'boolean' | 'list';
  /** Never print its value. */
  secret?: true;
  /** Only the environment may set it (not the file). */
  envOnly?: true;
};

/** Environment variable naming the config file (default `y2c.config.json` in the working directory). */
export const configFileVariable = 'Y2C_CONFIG';

/** Every `Y2C_*` variable that overrides a config option; they win over the file. */
export const configEnvironment: readonly ConfigEnvironmentVariable[] = [
  { name: 'Y2C_NETWORK', option: 'network', kind: 'string' },
  { name: 'Y2C_DATA_DIR', option: 'dataDir', kind: 'string' },
  { name: 'Y2C_LOG_LEVEL', option: 'logLevel', kind: 'string' },
  { name: 'Y2C_RPC_URL', option: 'chain.rpcUrl', kind: 'string' },
  { name: 'Y2C_BUNDLER_URL', option: 'chain.bundlerUrl', kind: 'string' },
  { name: 'Y2C_TRANSPORT', option: 'chain.transport', kind: 'string' },
  { name: 'Y2C_ETH_PRICE', option: 'chain.ethPriceInToken', kind: 'string' },
  { name: 'Y2C_AGENT_NFT', option: 'chain.deployment.agentNft', kind: 'string' },
  { name: 'Y2C_ACCOUNT_IMPLEMENTATION', option: 'chain.deployment.accountImplementation', kind: 'string' },
  { name: 'Y2C_VAULT', option: 'chain.deployment.vault', kind: 'string' },
  { name: 'Y2C_MARKET', option: 'chain.deployment.market', kind: 'string' },
  { name: 'Y2C_PAYMENT_TOKEN', option: 'chain.deployment.paymentToken', kind: 'string' },
  { name: 'Y2C_YIELD_SOURCE', option: 'chain.deployment.yieldSource', kind: 'string' },
  { name: 'Y2C_ANVIL_PORT', option: 'devnet.anvilPort', kind: 'number' },
  { name: 'Y2C_BUNDLER_PORT', option: 'devnet.bundlerPort', kind: 'number' },
  { name: 'Y2C_WARP_ALLOWED', option: 'devnet.warpAllowed', kind: 'boolean' },
  { name: 'Y2C_PROVIDER_PORT', option: 'provider.port', kind: 'number' },
  { name: 'Y2C_PROVIDER_HOST', option: 'provider.host', kind: 'string' },
  { name: 'Y2C_PROVIDER_STORE', option: 'provider.store', kind: 'string', secret: true },
  { name: 'Y2C_PROVIDER_PUBLIC_URL', option: 'provider.publicUrl', kind: 'string' },
  { name: 'Y2C_PROVIDER_BACKEND', option: 'provider.backend', kind: 'string' },
  { name: 'Y2C_PROVIDER_UPSTREAM_URL', option: 'provider.upstream.url', kind: 'string' },
  { name: 'Y2C_PROVIDER_UPSTREAM_KEY', option: 'provider.upstream.apiKey', kind: 'string', secret: true },
  { name: 'Y2C_PROVIDER_MODEL_PATH', option: 'provider.llama.modelPath', kind: 'string' },
  { name: 'Y2C_PROVIDER_THREADS', option: 'provider.llama.threads', kind: 'number' },
  { name: 'Y2C_CHAT_PORT', option: 'agent.chat.port', kind: 'number' },
  { name: 'Y2C_CHAT_HOST', option: 'agent.chat.host', kind: 'string' },
  { name: 'Y2C_TELEGRAM_BOT_TOKEN', option: 'agent.telegram.botToken', kind: 'string', secret: true, envOnly: true },
  { name: 'Y2C_TELEGRAM_API_ROOT', option: 'agent.telegram.apiRoot', kind: 'string' },
  { name: 'Y2C_AGENT_MODEL', option: 'agent.model', kind: 'string' },
  { name: 'Y2C_TRUSTED_PROVIDERS', option: 'agent.trustedProviders', kind: 'list' },
  { name: 'Y2C_X402_SELLERS', option: 'agent.x402.sellers', kind: 'list' },
  { name: 'Y2C_OWNER_KEY', option: 'keys.owner', kind: 'string', secret: true, envOnly: true },
  { name: 'Y2C_STAKER_KEY', option: 'keys.staker', kind: 'string', secret: true, envOnly: true },
  { name: 'Y2C_PROVIDER_KEY', option: 'keys.provider', kind: 'string', secret: true, envOnly: true },
];

import { getAddress, isAddress, type Address, type Hex } from 'viem';
import { validate as isCron } from 'node-cron';
import { z } from 'zod';

// Amounts stay strings here: they become bigint in normaliseConfig, once the token's decimals are known.
const amount = (description: string) =>
  z.string({ error: 'expected a decimal string such as "0.5" (in quotes: JSON numbers lose precision)' }).describe(description);

const address = (description: string) =>
  z
    .string({ error: 'expected a 0x-prefixed 20-byte hex address' })
    .refine((value) => isAddress(value, { strict: false }), { error: 'expected a 0x-prefixed 20-byte hex address' })
    // Mixed case is an EIP-55 checksum: a mistyped character breaks it (all lower or upper case carries none).
    .refine((value: string) => {
      const checksumHolds = isAddress(value, { strict: true });
      const allUpper = value.slice(2) === value.slice(2).toUpperCase();
      return checksumHolds || allUpper;
    }, {
      error: 'expected a 0x-prefixed 20-byte hex address; this one is mixed-case but its EIP-55 checksum is wrong (a mistyped character?)',
    })
    .transform((value) => getAddress(value) as Address)
    .describe(description);

const privateKey = (description: string) =>
  z
    .string({ error: 'expected a 0x-prefixed 32-byte hex private key' })
    .regex(/^0x[0-9a-fA-F]{64}$/, { error: 'expected a 0x-prefixed 32-byte hex private key' })
    .transform((value) => value as Hex)
    .describe(description);

const httpUrl = (description: string) =>
  z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).describe(description);

const port = (description: string) =>
  z.int({ error: 'expected a whole number between 1 and 65535' }).min(1).max(65535).describe(description);

const listenPort = (description: string) =>
  z.int({ error: 'expected a whole number between 0 (a free port) and 65535' }).min(0).max(65535).describe(description);

const host = (description: string) => z.string().min(1).describe(description);

const cron = (description: string) =>
  z
    .string({ error: 'expected a cron expression such as "*/5 * * * *"' })
    .refine((value) => isCron(value), { error: 'expected a cron expression such as "*/5 * * * *"' })
    .describe(description);

const deploymentSchema = z
  .strictObject({
    agentNft: address('AgentNFT (ERC-721) whose token owns the agent TBA.').optional(),
    accountImplementation: address('AgentAccount implementation used by the ERC-6551 registry.').optional(),
    vault: address("The agent's YieldVault.").optional(),
    market: address('ComputeMarket holding the payment channels.').optional(),
    paymentToken: address('ERC-20 the agent pays providers with (the vault asset, e.g. USDx or USDC).').optional(),
    yieldSource: address('ERC-4626 yield source the vault deposits into (e.g. sUSDx, sDAI).').optional(),
  })
  .describe('Addresses of the deployed y2c contracts. Local: computed (deterministic CREATE2) when omitted. Real networks: required.');

/** The shape of `y2c.config.json` (before defaults and normalisation). Every field is described. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON schema reference for editors; ignored.'),
    network: z
      .enum(['local', 'base-sepolia', 'base', 'ethereum'], { error: 'expected "local", "base-sepolia", "base" or "ethereum"' })
      .default('local')
      .describe('Which chain to run on: "local" starts an anvil devnet, "base-sepolia" a real testnet, "base" and "ethereum" the mainnets (presets in config/networkPresets.ts).'),
    dataDir: z.string().min(1).default('.y2c').describe('Where keys, databases and devnet state live; relative to the working directory.'),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'expected one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info')
      .describe('Minimum level of log lines printed.'),
    chain: z
      .strictObject({
        rpcUrl: z
          .url({ protocol: /^(https?|wss?)$/, error: 'expected an http(s):// or ws(s):// URL' })
          .optional()
          .describe('JSON-RPC endpoint. Required on real networks; on local, set it to use an already running devnet.'),
        bundlerUrl: httpUrl('ERC-4337 bundler endpoint. Required on real networks with transport "userop"; on local, started by us.').optional(),
        transport: z
          .enum(['direct', 'userop'], { error: 'expected "direct" or "userop"' })
          .default('userop')
          .describe('How the session key acts: "userop" sends ERC-4337 user operations to the bundler, "direct" sends plain transactions paid with the session key\'s ETH.'),
        tokenSymbol: z.string().min(1).default('USDx').describe('Symbol of the payment token, for display.'),
        tokenDecimals: z.int().min(0).max(36).default(6).describe('Decimals of the payment token; every amount in this file is read with them.'),
        ethPriceInToken: amount('Price of 1 ETH in the payment token, used to value gas (the devnet constant; real networks may refresh it).').default('3000'),
        erc6551Registry: address('Override of the canonical ERC-6551 registry address.').optional(),
        entryPoint: address('Override of the canonical EntryPoint v0.7 address.').optional(),
        deployment: deploymentSchema.optional(),
      })
      .prefault({})
      .describe('How to reach the chain and which contracts to use.'),
    devnet: z
      .strictObject({
        anvilPort: port('Port of the local anvil; a free one is chosen at start when omitted.').optional(),
        bundlerPort: port('Port of the local bundler (alto); a free one is chosen at start when omitted.').optional(),
        aprBps: z.int().min(0).max(100_000).default(1000).describe('Yearly yield of the local sUSDx, in basis points (1000 = 10%).'),
        lockPeriodSeconds: z.int().min(0).default(86_400).describe('Seconds a stake stays locked before unstake returns the principal.'),
        demoStakers: z.int().min(0).max(20).default(3).describe('How many demo stakers stake into the vault at start.'),
        warpAllowed: z.boolean().default(true).describe('Whether `y2c warp <days>` may move chain time (never on real networks).'),
      })
      .prefault({})
      .describe('The local devnet; ignored on real networks.'),
    provider: z
      .strictObject({
        port: listenPort('Port the provider node listens on; 0 (the default) picks a free one at start.').default(0),
        host: host('Interface the provider node listens on.').default('127.0.0.1'),
        backend: z
          .enum(['openai', 'llama'], { error: 'expected "openai" or "llama"' })
          .optional()
          .describe('Where completions come from: an OpenAI-compatible upstream, or a local GGUF model. Default: "openai" when upstream.url is set, else "llama".'),
        upstream: z
          .strictObject({
            url: httpUrl('Base URL of the OpenAI-compatible upstream, e.g. https://api.openai.com/v1.').optional(),
            apiKey: z.string().min(1).optional().describe('API key for the upstream; prefer the environment variable.'),
            modelMap: z.record(z.string(), z.string().min(1)).default({}).describe('Served model name → upstream model name.'),
            contextLength: z.int().min(256).optional().describe("The upstream model's context window in tokens, advertised to clients so they fit their prompts (e.g. 8192)."),
            tools: z.boolean().default(true).describe('Whether the upstream model takes tool definitions; false makes clients send none.'),
          })
          .prefault({})
          .describe('The OpenAI-compatible upstream.'),
        llama: z
          .strictObject({
            modelPath: z.string().min(1).optional().describe('Path of the GGUF model file; relative to the working directory.'),
            threads: z.int().min(1).max(256).default(2).describe('CPU threads for inference.'),
            contextSize: z.int().min(256).default(4096).describe('Context window in tokens.'),
          })
          .prefault({})
          .describe('The local model backend (node-llama-cpp).'),
        priceInPerMTok: amount('Price per million prompt tokens, in the payment token.').default('0.5'),
        priceOutPerMTok: amount('Price per million completion tokens, in the payment token.').default('1.5'),
        models: z.array(z.string().min(1)).min(1).default(['y2c-chat']).describe('Model names the provider serves and registers in the market.'),
        settleIntervalSeconds: z.int().min(10).default(3600).describe('Seconds between batched redemptions of vouchers.'),
        maxBodyBytes: z.int().min(1024).default(1_000_000).describe('Largest request body accepted, in bytes.'),
        x402: z
          .strictObject({
            enabled: z.boolean().default(true).describe('Also sell over x402 v2 (PAYMENT-REQUIRED / PAYMENT-SIGNATURE): batch-settlement and exact.'),
            facilitatorUrl: httpUrl('An external x402 facilitator; absent, one runs in the provider, which pays its own settlement gas.').optional(),
            withdrawDelaySeconds: z.int().min(900).max(2_592_000).default(86_400).describe('Withdraw delay asked of batch-settlement channels (900 s to 30 days).'),
            tokenName: z.string().min(1).optional().describe("The payment token's EIP-712 name (default: read from the token, ERC-5267)."),
            tokenVersion: z.string().min(1).optional().describe("The payment token's EIP-712 version (default: read from the token)."),
          })
          .prefault({})
          .describe('x402 v2 selling (issue 14); the y2c voucher header keeps working beside it.'),
        store: z
          .string()
          .min(1)
          .optional()
          .describe('The ledger: a postgres:// URL shared by a fleet of frontends, or a SQLite file path. Default: provider.db in the data directory.'),
        bond: amount(
          'What the node keeps bonded in the market, in the payment token: it tops its bond up to this at start (on the local devnet from the USDx faucet). A lie proven from its signed receipts costs the whole bond.',
        ).default('10'),
        publicUrl: httpUrl(
          "The one public base URL (with /v1) the market entry names, e.g. the load balancer in front of a fleet: every frontend registers it identically. Required with a postgres:// store; default: the node's own URL.",
        ).optional(),
      })
      .prefault({})
      .describe('The compute provider node (`y2c provider`).'),
    agent: z
      .strictObject({
        chat: z
          .strictObject({
            port: listenPort('Port of the chat channel and dashboard (health on the next port); 0 (the default) picks free ones at start.').default(0),
            host: host('Interface of the chat channel.').default('127.0.0.1'),
          })
          .prefault({})
          .describe('The chat channel (HTTP, WebSocket and web page).'),
        constitution: z
          .string()
          .min(1)
          .default(
            'You are y2c, an agent that pays for its own thinking with the yield its community stakes. Be useful, honest and frugal: every token you spend is your members\' yield.',
          )
          .describe("The agent's standing instructions (system prompt)."),
        model: z.string().min(1).default('y2c-chat').describe('Model name requested from providers.'),
        caps: z
          .strictObject({
            perRequestCap: amount('Most one inference request may cost, in the payment token.').default('0.05'),
            dailyCap: amount('Most one member may spend per day, in the payment token.').default('1'),
            dailyComputeBudget: amount('Most the agent may commit to compute per day (channel deposits and top-ups), in the payment token.').default('10'),
          })
          .prefault({})
          .describe('Spending caps, checked in code before every payment.'),
        trustedProviders: z.array(address('Provider address.')).default([]).describe('Providers the treasury may open channels with. On local, the provider started by `y2c up` is trusted too.'),
        x402: z
          .strictObject({
            sellers: z
              .array(address('Seller address (the x402 `payTo`, the channel receiver).'))
              .default([])
              .describe(
                'x402 sellers the agent may pay (batch-settlement channel receivers). On local, the provider `y2c up` starts is one too. A self-owned agent pays only sellers its charter trusts: these seed charter v1 beside agent.trustedProviders.',
              ),
            services: z
              .array(
                z
                  .strictObject({
                    name: z.string().min(1).max(64).optional().describe('Short name the model sees (default: the URL\'s host).'),
                    url: httpUrl('Base URL of the service: the agent buys only URLs under it.'),
                    maxPrice: amount('Most one request to this service may cost, in the payment token (the per-request cap applies too).'),
                  })
                  .describe('An allowlisted x402 service.'),
              )
              .default([])
              .describe('x402 services the autonomous loop may buy from with `buy_x402_service` (paid over batch-settlement, TBA as payer, session key signing vouchers).'),
          })
          .prefault({})
          .describe('x402 v2 buying (issue 14): who the agent may pay and what it may buy.'),
        minProviderBond: amount(
          "The least bond a provider must hold in the market before the agent opens or tops up a channel with it, in the payment token (the local world's provider bonds provider.bond, 10 by default); 0 turns the check off.",
        ).default('10'),
        reputationClients: z
          .array(address('Client address.'))
          .default([])
          .describe('ERC-8004 clients whose feedback on providers the agent trusts (besides its own TBA): only their feedback counts, so Sybil feedback from anyone else is ignored.'),
        runwayTargetHours: z.number().positive().max(24 * 365).default(24).describe('Hours of compute the treasury keeps funded in open channels at the recent burn rate.'),
        treasury: z
          .strictObject({
            minHarvest: amount('Never harvest less yield than this, in the payment token.').default('0.01'),
            harvestGasMultiple: z.int().min(1).default(10).describe('Harvest when pending yield is at least this many times the gas cost of harvesting.'),
            reserve: amount('Payment tokens the TBA always keeps, never put into channels.').default('1'),
            minDeposit: amount('Smallest channel deposit or top-up worth a transaction.').default('1'),
            idleCloseHours: z.number().positive().default(72).describe('Close a channel unused for this many hours, to recover its deposit.'),
            criticalRunwayHours: z.number().min(0).default(2).describe('Below this runway, harvest as soon as the yield covers the gas.'),
            sessionGasFloor: amount("Refill the session key's ETH below this (transport \"direct\"), in ETH.").default('0.002'),
            sessionGasTarget: amount("Refill the session key's ETH up to this, in ETH.").default('0.01'),
            minProviderSuccessRate: z.number().min(0).max(1).default(0.9).describe('A provider below this success rate is unhealthy.'),
            maxProviderLatencyMs: z.int().min(1).default(30_000).describe('A provider above this median latency is unhealthy.'),
          })
          .prefault({})
          .describe('Tuning of the deterministic treasury policy.'),
        schedules: z
          .strictObject({
            treasury: cron('When the treasury policy runs.').default('*/5 * * * *'),
            settle: cron('When channel balances are reconciled with the chain.').default('0 * * * *'),
            reflect: cron('When the agent reflects autonomously.').default('0 */6 * * *'),
          })
          .prefault({})
          .describe('Cron schedules of the daemon jobs.'),
        pass: z
          .strictObject({
            kind: z.enum(['stake', 'erc721'], { error: 'expected "stake" or "erc721"' }).default('stake').describe('What grants chat access: a stake in the vault, or holding an ERC-721.'),
            minStake: amount('Smallest stake (vault asset) that grants access, with kind "stake".').default('1'),
            token: address('ERC-721 contract whose holders get access, with kind "erc721".').optional(),
          })
          .prefault({})
          .describe('Who may use the chat channel.'),
        telegram: z
          .strictObject({
            botToken: z.string().min(1).optional().describe('Bot token from @BotFather (set Y2C_TELEGRAM_BOT_TOKEN); the Telegram channel runs only when it is set.'),
            apiRoot: z.url().default('https://api.telegram.org').describe('Bot API root (a local Bot API server, or a test stand-in).'),
            allowedGroups: z.array(z.int()).default([]).describe('Group chat ids where linked members may ask the agent (with /ask or a mention); private chats are always served.'),
            editIntervalMs: z.int().min(10).default(1000).describe('How often a streaming reply edits its message, ms (Telegram rate-limits edits).'),
          })
          .prefault({})
          .describe('The Telegram channel (grammy): linked members chat with the agent under their pass and quota.'),
      })
      .prefault({})
      .describe('The agent daemon (`y2c start`).'),
    governance: z
      .strictObject({
        owner: z
          .enum(['community', 'eoa'], { error: 'expected "community" or "eoa"' })
          .default('community')
          .describe('Who owns the agent: its community (a timelock its stakers govern; the default) or the deployer key (`y2c up --owner eoa`).'),
        guardian: address('Keeper of the revoke-only session guardian (a community multisig): it may only revoke the agent\'s sessions.').optional(),
        proposalsPerWeek: z.int().min(0).max(100).default(3).describe('Proposals the agent may file to its community per week (charter v1).'),
      })
      .prefault({})
      .describe("The agent's ownership and charter v1 (config seeds the first version; later ones are voted on chain)."),
    keys: z
      .strictObject({
        owner: privateKey('Owner key (holds the agent NFT) for real networks; environment only.').optional(),
        staker: privateKey('A staker key for real networks; environment only.').optional(),
        provider: privateKey("The compute provider node's key (it registers and redeems) on real networks; environment only.").optional(),
      })
      .prefault({})
      .describe('Private keys; read from the environment only, never from the file.'),
  })
  .describe('y2c configuration (y2c.config.json).');

/** What `y2c.config.json` may contain. */
export type ConfigFile = z.input<typeof configSchema>;

/** The config after validation and defaults, before normalisation. */
export type ParsedConfig = z.output<typeof configSchema>;

import { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { formatUnits } from 'viem';
import { AgentError } from '../core/AgentError.js';
import { loadConfig } from '../config/loadConfig.js';
import { parseAmount } from '../config/parseAmount.js';
import type { Config } from '../config/types.js';
import { stake } from '../chain/vault/stake.js';
import { unstake } from '../chain/vault/unstake.js';
import { connect, userWallet } from './connect.js';
import { formatAgentStatus, getAgentStatus } from './commands/status.js';
import { up } from './commands/up.js';
import type { AgentOwnerMode } from '../chain/deploy/deployWorld.js';
import { warp } from './commands/warp.js';
import { registerSessionCommands } from './commands/session.js';
import { registerGovCommands } from './commands/gov.js';
import { registerProviderCommands } from './commands/provider.js';
import { ethDeploymentOf, registerEthCommands } from './commands/eth.js';
import { stakeEth } from '../chain/vault/stakeEth.js';
import { priceFeedAbi } from '../chain/abi/generated/priceFeed.js';
import { setPrice } from '../chain/conversion/setPrice.js';
import { start } from './commands/start.js';
import { deploy } from './commands/deploy.js';
import { chat } from './commands/chat.js';
import { mcp } from './commands/mcp.js';
import { linkTelegram } from './commands/linkTelegram.js';
import { ledger, ledgerKinds } from './commands/ledger.js';
import { readRuntime } from './runtime.js';
import { join } from 'node:path';
import { waitUntilSaved } from './waitUntilSaved.js';
import { jsonReplacer } from '../core/jsonReplacer.js';

const program = new Command('y2c')
  .description('y2c, the yield-to-compute agent: an AI agent that pays for its own inference with the yield its community stakes.')
  .option('-c, --config <file>', 'config file (default ./y2c.config.json when present)')
  .showHelpAfterError();

/** Loads the config for a command, honouring --config. */
function config(): Config {
  const file = program.opts<{ config?: string }>().config;
  return loadConfig(file ? { file } : {});
}

/** Parses `--owner`. */
function ownerMode(value: string): AgentOwnerMode {
  if (value === 'community' || value === 'eoa') return value;
  throw new AgentError(`--owner must be "community" or "eoa", not "${value}".`);
}

/** Parses `--asset`. */
function assetOf(value: string | undefined): 'usdx' | 'eth' {
  const asset = (value ?? 'usdx').toLowerCase();
  if (asset === 'usdx' || asset === 'eth') return asset;
  throw new AgentError(`--asset must be "usdx" or "eth", not "${value}".`);
}

/** Prints a result as JSON or as text. */
function print(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, jsonReplacer, 2)}\n` : `${text}\n`);
}

program
  .command('up')
  .description('Run the whole local world: devnet, contracts, bundler, provider, agent and chat page (what `npm start` runs).')
  .option('--fresh', 'forget the saved devnet state and start from an empty chain')
  .option('--owner <owner>', 'who owns the agent: "community" (its stakers govern it through a timelock; default) or "eoa" (dev account 0)')
  .action(async (options: { fresh?: boolean; owner?: string }) => {
    await up(config(), { fresh: options.fresh ?? false, ...(options.owner ? { owner: ownerMode(options.owner) } : {}) });
  });

program
  .command('deploy')
  .description("Deploy y2c's contracts (deterministic addresses, idempotent) and bootstrap the agent on the configured chain; writes .y2c/deployment.json.")
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const result = await deploy(config(), { onStep: (step) => process.stderr.write(`${step}\n`) });
    print(options.json, result, result.deployed.length ? `deployed ${result.deployed.join(', ')}; agent TBA ${result.deployment.agent.tba}` : `nothing to deploy; agent TBA ${result.deployment.agent.tba}`);
  });

program
  .command('start')
  .description('Run the agent daemon against a running chain (local: the devnet `y2c up` runs; else chain.rpcUrl): treasury, settlement and reflection jobs, health endpoint.')
  .option('--health-port <port>', 'port of GET /health (default: chat port + 1)', (v) => Number(v))
  .option('--no-treasury-on-start', 'do not run the treasury job at start')
  .action(async (options: { healthPort?: number; treasuryOnStart: boolean }) => {
    await start(config(), { ...(options.healthPort !== undefined ? { healthPort: options.healthPort } : {}), noTreasuryOnStart: !options.treasuryOnStart });
  });

program
  .command('status')
  .description("Show the agent's account, owner, session validity and remaining budgets, vault TVL, pending yield, balances and where the running world answers (chat page, provider, RPC, bundler, health).")
  .option('--json', 'print JSON')
  .action(async (options: { json?: boolean }) => {
    const cfg = config();
    const connection = connect(cfg);
    const runtime = cfg.network === 'local' && !cfg.chain.rpcUrl ? readRuntime(cfg.dataDir) : undefined;
    const status = await getAgentStatus(connection, { symbol: cfg.chain.token.symbol, runtime });
    print(options.json, status, formatAgentStatus(status));
  });

const keyOptions = (command: Command) =>
  command
    .option('--dev-account <index>', 'local devnet: act as anvil dev account 0-9 (default 4, the first demo staker)', (v) => Number(v))
    .option('--key-file <path>', 'act with the hex private key in this file')
    .option('--json', 'print JSON');

keyOptions(
  program
    .command('stake')
    .description("Stake into the agent's vault (on the devnet, missing USDx is drawn from the faucet); --asset eth stakes ether into the ETH vault.")
    .argument('<amount>', 'amount of the staked token, e.g. 100 or 12.5 (ether with --asset eth, e.g. 0.1)')
    .option('--asset <asset>', 'usdx (default) or eth'),
).action(async (amountText: string, options: { devAccount?: number; keyFile?: string; json?: boolean; asset?: string }) => {
  const cfg = config();
  if (assetOf(options.asset) === 'eth') {
    const amount = parseAmount(amountText, 18);
    const connection = connect(cfg);
    const eth = ethDeploymentOf(connection);
    const walletClient = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
    const result = await stakeEth({ publicClient: connection.publicClient, walletClient }, { gateway: eth.gateway, vault: eth.vault, amount });
    await waitUntilSaved(cfg, connection.publicClient, result.hash);
    const unlocksAt = new Date(Number(result.unlocksAt) * 1000).toISOString();
    const principal = formatUnits(result.principal, 18);
    print(
      options.json,
      { hash: result.hash, staker: walletClient.account.address, amount: formatUnits(amount, 18), principal, symbol: 'ETH', unlocksAt },
      `staked ${formatUnits(amount, 18)} ETH (tx ${result.hash}); principal now ${principal} ETH, unlocks at ${unlocksAt}`,
    );
    return;
  }
  const amount = parseAmount(amountText, cfg.chain.token.decimals);
  const connection = connect(cfg);
  const walletClient = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
  const result = await stake(
    { publicClient: connection.publicClient, walletClient },
    { vault: connection.deployment.agent.vault, asset: connection.deployment.usdx, amount, useFaucet: cfg.network === 'local' },
  );
  await waitUntilSaved(cfg, connection.publicClient, result.hash);
  const { decimals, symbol } = cfg.chain.token;
  const principal = formatUnits(result.principal, decimals);
  const unlocksAt = new Date(Number(result.unlocksAt) * 1000).toISOString();
  print(
    options.json,
    { hash: result.hash, staker: walletClient.account.address, amount: formatUnits(amount, decimals), principal, symbol, unlocksAt },
    `staked ${formatUnits(amount, decimals)} ${symbol} (tx ${result.hash}); principal now ${principal} ${symbol}, unlocks at ${unlocksAt}`,
  );
});

keyOptions(
  program
    .command('unstake')
    .description("Take principal back from the agent's vault once the lock has passed (--asset eth: from the ETH vault, paid in WETH).")
    .argument('<amount>', 'principal to take back, e.g. 100')
    .option('--asset <asset>', 'usdx (default) or eth'),
).action(async (amountText: string, options: { devAccount?: number; keyFile?: string; json?: boolean; asset?: string }) => {
  const cfg = config();
  if (assetOf(options.asset) === 'eth') {
    const amount = parseAmount(amountText, 18);
    const connection = connect(cfg);
    const eth = ethDeploymentOf(connection);
    const walletClient = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
    const result = await unstake({ publicClient: connection.publicClient, walletClient }, { vault: eth.vault, amount });
    await waitUntilSaved(cfg, connection.publicClient, result.hash);
    print(options.json, { ...result, amount: formatUnits(amount, 18), symbol: 'WETH' }, `unstaked ${formatUnits(amount, 18)} ETH as WETH (tx ${result.hash})`);
    return;
  }
  const amount = parseAmount(amountText, cfg.chain.token.decimals);
  const connection = connect(cfg);
  const walletClient = userWallet(cfg, connection, { devAccountIndex: options.devAccount, keyFile: options.keyFile });
  const result = await unstake({ publicClient: connection.publicClient, walletClient }, { vault: connection.deployment.agent.vault, amount });
  await waitUntilSaved(cfg, connection.publicClient, result.hash);
  const { decimals, symbol } = cfg.chain.token;
  print(options.json, { ...result, amount: formatUnits(amount, decimals), symbol }, `unstaked ${formatUnits(amount, decimals)} ${symbol} (tx ${result.hash})`);
});

program
  .command('warp')
  .description('Local devnet only: move chain time forward so yield accrues.')
  .argument('<days>', 'days to move forward, e.g. 30 or 0.5')
  .option('--json', 'print JSON')
  .action(async (daysText: string, options: { json?: boolean }) => {
    const days = Number(daysText);
    if (!/^\d+(\.\d+)?$/.test(daysText.trim()) || !(days > 0) || days > 3650) {
      throw new AgentError(`warp takes a number of days between 0 and 3650, got "${daysText}".`);
    }
    const cfg = config();
    if (cfg.network !== 'local' || !cfg.devnet.warpAllowed) throw new AgentError('warp works only on the local devnet.');
    const connection = connect(cfg);
    const timestamp = await warp(connection.publicClient, days);
    // The devnet's ETH / USD feed keeps its heartbeat across the jump, as a live Chainlink feed would
    // have: its latest answer is republished (`y2c price set` moves it; a stale feed is shown in tests).
    const feed = connection.deployment.eth?.priceFeed;
    if (feed) {
      const [, answer] = await connection.publicClient.readContract({ address: feed, abi: priceFeedAbi, functionName: 'latestRoundData' });
      const owner = userWallet(cfg, connection, {}, 'owner');
      await setPrice({ publicClient: connection.publicClient, walletClient: owner }, { feed, price: formatUnits(answer, 8) });
    }
    print(options.json, { timestamp: timestamp.toString() }, `chain time is now ${new Date(Number(timestamp) * 1000).toISOString()}`);
  });

keyOptions(
  program
    .command('chat')
    .description("Chat with the agent: signs in with Ethereum (your stake is your pass), then streams each reply; /new starts a new conversation, /quit leaves.")
    .option('--url <url>', 'chat server (default: the one `y2c up` runs, else http://agent.chat.host:agent.chat.port)')
    .option('-m, --message <text>', 'send this one message, print the reply and exit')
    .option('--link', "print a one-time code that links your Telegram account: send /link <code> to the agent's bot"),
).action(async (options: { url?: string; message?: string; link?: boolean; devAccount?: number; keyFile?: string; json?: boolean }) => {
  const cfg = config();
  const url = options.url ?? chatUrlOf(cfg);
  const walletClient = userWallet(cfg, connect(cfg), { devAccountIndex: options.devAccount, keyFile: options.keyFile });
  if (options.link) {
    const link = await linkTelegram({ url, walletClient });
    const minutes = Math.max(1, Math.round((link.expiresAt - Date.now() / 1000) / 60));
    return print(options.json, link, `Send this to ${link.bot ?? "the agent's Telegram bot"} in a private chat within ${minutes} minutes:\n\n  ${link.command}`);
  }
  const result = await chat({
    url,
    walletClient,
    ...(options.message === undefined ? {} : { message: options.message }),
    ...(options.json ? { output: devNull() } : {}),
  });
  if (options.json || options.message === undefined) {
    const cost = formatUnits(result.costUnits, cfg.chain.token.decimals);
    const json = { address: result.address, replies: result.replies, text: result.texts.at(-1) ?? '', texts: result.texts, cost, symbol: cfg.chain.token.symbol };
    print(options.json, json, `${result.replies} repl${result.replies === 1 ? 'y' : 'ies'}, ${cost} ${cfg.chain.token.symbol} of your compute balance`);
  }
});

keyOptions(
  program
    .command('mcp')
    .description("Serve the agent's MCP tools over stdio for a local MCP client (Claude Desktop…): with --key (or a wallet to sign in with), your member tools; without, the public reads only.")
    .option('--url <url>', 'chat server (default: the one `y2c up` runs, else http://agent.chat.host:agent.chat.port)')
    .option('--key <apiKey>', 'your API key (y2c_…, minted after sign-in: POST /api/keys) or a session token')
    .option('--sign-in', 'sign in with --dev-account / --key-file instead of a key'),
).action(async (options: { url?: string; key?: string; signIn?: boolean; devAccount?: number; keyFile?: string }) => {
  const cfg = config();
  const url = options.url ?? chatUrlOf(cfg);
  const walletClient = options.signIn ? userWallet(cfg, connect(cfg), { devAccountIndex: options.devAccount, keyFile: options.keyFile }) : undefined;
  const bridge = await mcp({ url, key: options.key, walletClient });
  await bridge.closed;
});

program
  .command('ledger')
  .description("Show the agent's recent actions from its memory, newest first, with status, amount, transaction and reason.")
  .option('-n, --limit <count>', 'how many entries (default 20)')
  .option('--kind <kind>', `only this kind: ${ledgerKinds.join(', ')}`)
  .option('--json', 'print JSON (amounts as decimal strings in the token, see README "Units")')
  .action((options: { limit?: string; kind?: string; json?: boolean }) => {
    const cfg = config();
    if (options.limit !== undefined && !/^[1-9][0-9]{0,5}$/.test(options.limit.trim())) {
      throw new AgentError(`--limit takes a positive whole number, got "${options.limit}".`, { details: 'For example: y2c ledger -n 50' });
    }
    const result = ledger({
      path: join(cfg.dataDir, 'agent.db'),
      decimals: cfg.chain.token.decimals,
      symbol: cfg.chain.token.symbol,
      ...(options.limit === undefined ? {} : { limit: Number(options.limit) }),
      ...(options.kind === undefined ? {} : { kind: options.kind }),
    });
    print(options.json, result.json, result.text);
  });

/** The chat server to talk to: the one `y2c up` runs locally, else the configured address. */
function chatUrlOf(cfg: Config): string {
  if (cfg.network === 'local') {
    try {
      const running = readRuntime(cfg.dataDir).chatUrl;
      if (running) return running;
    } catch {
      // Not running under `y2c up`: fall back to the configured address.
    }
  }
  if (cfg.agent.chat.port === 0) {
    throw new AgentError('No running chat server found, and agent.chat.port is 0 (a free port chosen at start).', {
      details: 'Start the world with `npm start` in another terminal, or pass --url with the address `y2c start` printed.',
    });
  }
  return `http://${cfg.agent.chat.host}:${cfg.agent.chat.port}`;
}

/** A sink for the streamed reply when printing JSON. */
function devNull(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

registerSessionCommands(program, { config, print });
registerGovCommands(program, { config, print });
registerProviderCommands(program, { config, print });
registerEthCommands(program, { config, print });

program.addOption(new Option('--verbose', 'print error causes').hideHelp());

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AgentError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (program.opts<{ verbose?: boolean }>().verbose && error.cause) process.stderr.write(`cause: ${String(error.cause)}\n`);
  } else {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exitCode = 1;
}

import { x402BatchSettlementAddress } from '../../chain/deploy/deployX402.js';
import type { Command } from 'commander';
import { formatEther, formatUnits, parseEther, type Address } from 'viem';
import { devAccount, devRoles } from '../../devnet/devAccounts.js';
import { agentAccountAbi } from '../../chain/abi/generated/agentAccount.js';
import { confirmTransaction } from '../../chain/confirmTransaction.js';
import { agentSessionPolicy } from '../../chain/wallet/agentSessionPolicy.js';
import { sessionValidAfter } from '../../chain/wallet/sessionValidAfter.js';
import { AgentError } from '../../core/AgentError.js';
import { parseAmount } from '../../config/parseAmount.js';
import type { Config } from '../../config/types.js';
import { connect, userWallet } from '../connect.js';
import { functionNameOf } from '../functionNameOf.js';

type Helpers = { config: () => Config; print: (json: boolean | undefined, value: unknown, text: string) => void };

function parseKey(value: string | undefined, fallback: Address): Address {
  if (value === undefined) return fallback;
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new AgentError(`Not an address: ${value}.`);
  return value as Address;
}

/**
 * `y2c session show|grant|revoke`: inspect and manage the agent's session key (grant and revoke
 * are the owner's, sent as plain transactions).
 *
 * @param program The CLI.
 * @param helpers Config loader and printer.
 */
export function registerSessionCommands(program: Command, helpers: Helpers): void {
  const session = program.command('session').description("Inspect or change the agent's session key.");
  session
    .command('show')
    .description("Show a session key's policy and usage (default: the agent's key).")
    .option('--key <address>', 'session key address')
    .option('--json', 'print JSON')
    .action(async (options: { key?: string; json?: boolean }) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const key = parseKey(options.key, connection.deployment.agent.sessionKey);
      const { publicClient } = connection;
      const tba = connection.deployment.agent.tba;
      const [[policy, grantedBy, active], usage, gasSpent] = await Promise.all([
        publicClient.readContract({ address: tba, abi: agentAccountAbi, functionName: 'getSession', args: [key] }),
        publicClient.readContract({ address: tba, abi: agentAccountAbi, functionName: 'getSessionUsage', args: [key] }),
        publicClient.readContract({ address: tba, abi: agentAccountAbi, functionName: 'getGasSpent', args: [key] }),
      ]);
      const { deployment } = connection;
      const known: Record<string, string> = {
        [deployment.usdx.toLowerCase()]: cfg.chain.token.symbol,
        [deployment.susdx.toLowerCase()]: `s${cfg.chain.token.symbol}`,
        [deployment.computeMarket.toLowerCase()]: 'ComputeMarket',
        [x402BatchSettlementAddress.toLowerCase()]: 'x402 batch-settlement escrow',
        [deployment.agent.vault.toLowerCase()]: 'YieldVault',
        ...(deployment.governance
          ? { [deployment.governance.governor.toLowerCase()]: 'AgentGovernor', [deployment.governance.charter.toLowerCase()]: 'Charter' }
          : {}),
        ...(deployment.erc8004
          ? { [deployment.erc8004.identityRegistry.toLowerCase()]: 'ERC-8004 IdentityRegistry', [deployment.erc8004.reputationRegistry.toLowerCase()]: 'ERC-8004 ReputationRegistry' }
          : {}),
      };
      const nameOf = (address: string) => (known[address.toLowerCase()] ? `${known[address.toLowerCase()]} (${address})` : address);
      const tokenAmount = (token: string, amount: bigint) =>
        token.toLowerCase() === deployment.usdx.toLowerCase() ? `${formatUnits(amount, cfg.chain.token.decimals)} ${cfg.chain.token.symbol}` : `${amount} units`;
      const text = [
        `session ${key}: ${active ? 'active' : 'inactive'}, granted by ${grantedBy}`,
        `  valid ${new Date(policy.validAfter * 1000).toISOString()} → ${new Date(policy.validUntil * 1000).toISOString()}, period ${policy.period}s`,
        `  calls this period ${usage.calls}/${policy.maxCallsPerPeriod}, ETH spent ${formatEther(usage.nativeSpent)}/${formatEther(policy.nativeBudgetPerPeriod)} ETH`,
        `  user-operation gas ${formatEther(gasSpent)}/${formatEther(policy.gasAllowance)} ETH of prefund since the grant, maxFeePerGas at most ${formatUnits(policy.maxFeePerGas, 9)} gwei`,
        ...policy.calls.map((c) => `  may call ${nameOf(c.target)} ${functionNameOf(c.selector)}`),
        ...policy.tokenBudgets.map((b) => `  token budget ${nameOf(b.token)}: ${tokenAmount(b.token, b.amountPerPeriod)} per period`),
        ...policy.counterparties.map((c) => `  counterparty ${c}`),
        ...policy.argumentRules.map((r) => `  argument ${r.argument} of ${nameOf(r.target)} ${functionNameOf(r.selector)} must be ${['', 'a counterparty', 'the session key', 'the account'][r.kind] ?? `kind ${r.kind}`}`),
      ].join('\n');
      helpers.print(options.json, { key, policy, grantedBy, active, usage, gasSpent }, text);
    });
  session
    .command('grant')
    .description("Grant the agent's policy to a key (owner only).")
    .option('--key <address>', 'session key address (default: the agent\'s key)')
    .option('--daily-budget <amount>', 'payment token the key may approve per day', '100')
    .option('--days <days>', 'how long the key stays valid', '30')
    .option('--key-file <path>', "the owner's private key file")
    .option('--json', 'print JSON')
    .action(async (options: { key?: string; dailyBudget: string; days: string; keyFile?: string; json?: boolean }) => {
      const cfg = helpers.config();
      const budget = parseAmount(options.dailyBudget, cfg.chain.token.decimals);
      const days = Number(options.days);
      if (!Number.isFinite(days) || days <= 0 || days > 3650) throw new AgentError(`--days must be between 0 and 3650, got ${options.days}.`);
      const connection = connect(cfg);
      const key = parseKey(options.key, connection.deployment.agent.sessionKey);
      const wallet = userWallet(cfg, connection, { keyFile: options.keyFile }, 'owner');
      const { validAfter, chainNow } = await sessionValidAfter(connection.publicClient);
      const policy = agentSessionPolicy({
        sessionKey: key,
        vault: connection.deployment.agent.vault,
        token: connection.deployment.usdx,
        computeMarket: connection.deployment.computeMarket,
        trustedProviders: cfg.network === 'local' ? [...cfg.agent.trustedProviders, devAccount(devRoles.provider).account.address] : cfg.agent.trustedProviders,
        tokenBudgetPerPeriod: budget,
        nativeBudgetPerPeriod: parseEther('0.05'),
        maxCallsPerPeriod: 500,
        validAfter,
        validUntil: chainNow + Math.round(days * 86_400),
      });
      const hash = await wallet.writeContract({ address: connection.deployment.agent.tba, abi: agentAccountAbi, functionName: 'grantSession', args: [key, policy] });
      await confirmTransaction(connection.publicClient, hash, 'grantSession');
      helpers.print(options.json, { key, hash }, `granted ${key} for ${days} days (tx ${hash})`);
    });
  session
    .command('revoke')
    .description('Revoke a session key (owner only).')
    .option('--key <address>', "session key address (default: the agent's key)")
    .option('--key-file <path>', "the owner's private key file")
    .option('--json', 'print JSON')
    .action(async (options: { key?: string; keyFile?: string; json?: boolean }) => {
      const cfg = helpers.config();
      const connection = connect(cfg);
      const key = parseKey(options.key, connection.deployment.agent.sessionKey);
      const wallet = userWallet(cfg, connection, { keyFile: options.keyFile }, 'owner');
      const hash = await wallet.writeContract({ address: connection.deployment.agent.tba, abi: agentAccountAbi, functionName: 'revokeSession', args: [key] });
      await confirmTransaction(connection.publicClient, hash, 'revokeSession');
      helpers.print(options.json, { key, hash }, `revoked ${key} (tx ${hash})`);
    });
}

import { erc20Abi, parseUnits } from 'viem';
import { usdxAbi } from '../../../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../../../chain/abi/generated/yieldVault.js';
import { stake } from '../../../chain/vault/stake.js';
import { unstake } from '../../../chain/vault/unstake.js';
import { formatAmount } from './format.js';
import type { PageConfig } from './pageConfig.js';
import type { PageWallet } from './wallet.js';

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The stake and unstake forms: the member's position, then `chain/vault/stake.ts` and
 * `unstake.ts` through the signed-in wallet, with their errors in words (locked, insufficient
 * balance or principal). On the devnet, a faucet button.
 *
 * @param config Page configuration.
 * @param wallet The wallet that signs, or undefined before sign-in.
 * @param onChange Called after a successful stake or unstake.
 * @returns `refresh()` and `setWallet()`.
 */
export function mountStake(config: PageConfig, onChange: () => void): { refresh: () => Promise<void>; setWallet: (wallet: PageWallet | undefined) => void } {
  let wallet: PageWallet | undefined;
  const status = el<HTMLParagraphElement>('stake-status');
  const error = el<HTMLParagraphElement>('stake-error');
  const amountInput = el<HTMLInputElement>('stake-amount');
  const faucet = el<HTMLButtonElement>('faucet');
  const show = (k: string, v: string) => `<dt>${k}</dt><dd>${v}</dd>`;

  const refresh = async () => {
    if (!wallet) {
      el('position').innerHTML = show('Wallet', 'Sign in on the Chat tab first.');
      return;
    }
    const me = wallet.walletClient.account.address;
    const read = wallet.publicClient;
    const [balance, principal, unlocksAt, compute, withdrawable] = await Promise.all([
      read.readContract({ address: config.token, abi: erc20Abi, functionName: 'balanceOf', args: [me] }),
      read.readContract({ address: config.vault, abi: yieldVaultAbi, functionName: 'principalOf', args: [me] }),
      read.readContract({ address: config.vault, abi: yieldVaultAbi, functionName: 'unlocksAt', args: [me] }),
      read.readContract({ address: config.vault, abi: yieldVaultAbi, functionName: 'computeBalanceOf', args: [me] }),
      read.readContract({ address: config.vault, abi: yieldVaultAbi, functionName: 'withdrawableOf', args: [me] }),
    ]);
    const unit = config.tokenSymbol;
    const locked = principal - withdrawable;
    el('position').innerHTML =
      show('Account', `${wallet.label} · ${me}`) +
      show('Wallet balance', `${formatAmount(balance, config.decimals)} ${unit}`) +
      show('Staked', `${formatAmount(principal, config.decimals)} ${unit}`) +
      show('Lock', principal === 0n ? '—' : locked > 0n
        ? `${formatAmount(locked, config.decimals)} ${unit} locked until ${new Date(Number(unlocksAt) * 1000).toLocaleString()}, ${formatAmount(withdrawable, config.decimals)} ${unit} withdrawable (a new stake is averaged into the locked part, weighted by amount)`
        : 'unlocked') +
      show('Yield credited to you', `${formatAmount(compute, config.decimals, 6)} ${unit}`);
    el('position').dataset.staked = principal.toString();
  };

  const run = async (what: string, action: () => Promise<unknown>) => {
    error.textContent = '';
    status.textContent = `${what}…`;
    try {
      await action();
      status.textContent = `${what}: done.`;
      onChange();
    } catch (cause) {
      status.textContent = '';
      const e = cause as { shortMessage?: string; details?: string; message?: string; name?: string };
      error.textContent = [e.shortMessage ?? e.message ?? String(cause), e.details && !String(e.details).includes('\n') ? e.details : ''].filter(Boolean).join(' ');
      error.dataset.error = e.name ?? 'Error';
    }
    await refresh().catch(() => undefined);
  };

  const amount = () => {
    const text = amountInput.value.trim();
    if (!/^\d+(\.\d+)?$/.test(text)) throw new Error('Enter an amount such as 100 or 12.5.');
    return parseUnits(text, config.decimals);
  };
  const clients = () => {
    if (!wallet) throw new Error('Sign in first (Chat tab).');
    return { publicClient: wallet.publicClient, walletClient: wallet.walletClient };
  };

  el<HTMLFormElement>('stake-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void run('Staking', () => stake(clients(), { vault: config.vault, asset: config.token, amount: amount() }));
  });
  el<HTMLButtonElement>('unstake').addEventListener('click', () => {
    void run('Unstaking', () => unstake(clients(), { vault: config.vault, amount: amount() }));
  });
  faucet.addEventListener('click', () => {
    void run('Getting test USDx', async () => {
      const { walletClient, publicClient } = clients();
      const hash = await walletClient.writeContract({
        address: config.token,
        abi: usdxAbi,
        functionName: 'faucet',
        args: [walletClient.account.address, parseUnits('1000', config.decimals)],
      });
      await publicClient.waitForTransactionReceipt({ hash });
    });
  });
  return {
    refresh,
    setWallet: (next) => {
      wallet = next;
      faucet.hidden = !(config.devnet && next);
      error.textContent = '';
      status.textContent = '';
    },
  };
}

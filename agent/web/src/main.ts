/** The page served by the agent at `/`: sign-in, chat, treasury dashboard, stake forms, governance. */
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { devKeys } from './devKeys.js';
import { mountChat } from './mountChat.js';
import { mountReach } from './mountReach.js';
import { mountGovernance } from './mountGovernance.js';
import { mountStake } from './mountStake.js';
import { mountTreasury } from './mountTreasury.js';
import { loadPageConfig } from './pageConfig.js';
import { signIn } from './signIn.js';
import { openWallet, type PageWallet } from './wallet.js';

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const config = await loadPageConfig();
const treasury = mountTreasury(config);
const stakeForm = mountStake(config, () => void treasury.refresh());
const governance = mountGovernance(config);
let chat: { close: () => void } | undefined;
let reach: { close: () => void } | undefined;
let token: string | undefined;

function showTab(name: string): void {
  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-tab]'))) button.classList.toggle('active', button.dataset.tab === name);
  for (const section of Array.from(document.querySelectorAll<HTMLElement>('.tab'))) section.classList.toggle('active', section.id === `tab-${name}`);
  if (name === 'treasury') void treasury.refresh();
  if (name === 'stake') void stakeForm.refresh();
  if (name === 'governance') void governance.refresh();
}
for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-tab]'))) button.addEventListener('click', () => showTab(button.dataset.tab ?? 'chat'));

function signOut(): void {
  if (token) void fetch('/api/signout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  token = undefined;
  chat?.close();
  chat = undefined;
  reach?.close();
  reach = undefined;
  stakeForm.setWallet(undefined);
  governance.setWallet(undefined);
  el('chat').hidden = true;
  el('signin').hidden = false;
  el('who').textContent = 'Not signed in';
}

async function start(choice: 'injected' | number): Promise<void> {
  const error = el('signin-error');
  error.textContent = '';
  try {
    const wallet: PageWallet = await openWallet(config, choice);
    const session = await signIn(wallet);
    token = session.token;
    el('who').textContent = `${wallet.label} · ${session.address.slice(0, 6)}…${session.address.slice(-4)}`;
    el('who').dataset.address = session.address;
    el('signin').hidden = true;
    el('chat').hidden = false;
    stakeForm.setWallet(wallet);
    governance.setWallet(wallet);
    chat = mountChat({ config, token: session.token, onSignOut: signOut });
    reach = mountReach({ token: session.token });
    el<HTMLTextAreaElement>('input').focus();
  } catch (cause) {
    error.textContent = cause instanceof Error ? ((cause as { shortMessage?: string }).shortMessage ?? cause.message) : String(cause);
  }
}

el('connect-wallet').addEventListener('click', () => void start('injected'));
el('wallet-hint').textContent = window.ethereum ? '' : 'No browser wallet detected.';
el<HTMLButtonElement>('connect-wallet').disabled = !window.ethereum;
el('signout').addEventListener('click', signOut);
if (config.devnet) {
  el('devnet-signin').hidden = false;
  const select = el<HTMLSelectElement>('dev-account');
  for (const dev of devKeys) select.append(new Option(`#${dev.index} · ${dev.label}`, String(dev.index)));
  el('dev-signin').addEventListener('click', () => void start(Number(select.value)));
}
document.body.dataset.ready = 'true';

import uPlot from 'uplot';
import { formatAmount } from './format.js';
import type { PageConfig } from './pageConfig.js';

type Treasury = {
  tvl: string;
  stakers: number;
  yieldHarvested: string;
  pendingYield: string;
  computeBought: string;
  computeSpent: string;
  agentBalance: string;
  channelBalance: string;
  burnPerHour: string;
  runwayHours: number | null;
  providers: Array<{ provider: string; calls: number; successRate: number; p50LatencyMs: number; spend: string }>;
  series: Array<{ start: number; kind: string; count: number; amount: string }>;
};

type LedgerEntry = { kind: string; status: string; reason: string; amount?: string; createdAt: number };

const el = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * The treasury dashboard: figures (TVL, stakers, yield harvested, compute bought and spent,
 * runway), uPlot time series from the ledger, spend per provider and recent actions with reasons.
 *
 * @param config Page configuration.
 * @returns `refresh()`.
 */
export function mountTreasury(config: PageConfig): { refresh: () => Promise<void> } {
  const charts: uPlot[] = [];
  const amount = (units: string) => `${formatAmount(units, config.decimals)} ${config.tokenSymbol}`;

  const figure = (key: string, label: string, raw: string, shown: string, hint = '') => {
    const card = document.createElement('div');
    card.className = 'figure';
    card.dataset.figure = key;
    card.dataset.raw = raw;
    card.innerHTML = `<div class="label"></div><div class="value"></div><div class="hint"></div>`;
    (card.children[0] as HTMLElement).textContent = label;
    (card.children[1] as HTMLElement).textContent = shown;
    (card.children[2] as HTMLElement).textContent = hint;
    return card;
  };

  const chart = (
    target: HTMLElement,
    title: string,
    x: number[],
    series: Array<{ label: string; values: number[]; stroke: string; fill: string; bars?: boolean }>,
  ) => {
    const width = Math.max(target.clientWidth, 280);
    const plot = new uPlot(
      {
        title: '',
        width,
        height: 220,
        legend: { live: false },
        series: [
          {},
          ...series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            fill: s.fill,
            width: 2,
            ...(s.bars && uPlot.paths.bars ? { paths: uPlot.paths.bars({ size: [0.6, 36] }), points: { show: false } } : {}),
          })),
        ],
        axes: [{ stroke: '#8a94a6', grid: { stroke: '#eef1f6' } }, { stroke: '#8a94a6', grid: { stroke: '#eef1f6' }, size: 60 }],
        scales: { x: { time: true } },
      },
      [x, ...series.map((s) => s.values)],
      target,
    );
    plot.root.setAttribute('aria-label', title);
    charts.push(plot);
  };

  const refresh = async () => {
    const [treasury, ledger] = await Promise.all([
      fetch('/api/treasury').then((r) => r.json() as Promise<Treasury>),
      fetch('/api/ledger?limit=20').then((r) => r.json() as Promise<{ entries: LedgerEntry[] }>),
    ]);
    el('figures').replaceChildren(
      figure('tvl', 'Total value locked', treasury.tvl, amount(treasury.tvl), `${amount(treasury.pendingYield)} yield pending`),
      figure('stakers', 'Stakers', String(treasury.stakers), String(treasury.stakers)),
      figure('yieldHarvested', 'Yield harvested', treasury.yieldHarvested, amount(treasury.yieldHarvested)),
      figure('computeBought', 'Compute bought', treasury.computeBought, amount(treasury.computeBought), `${amount(treasury.computeSpent)} spent on inference`),
      figure('agentBalance', 'Agent balance', treasury.agentBalance, amount(treasury.agentBalance), `${amount(treasury.channelBalance)} in channels`),
      figure(
        'runway',
        'Runway',
        String(treasury.runwayHours ?? ''),
        treasury.runwayHours === null ? 'idle' : `${treasury.runwayHours.toFixed(1)} h`,
        `burn ${formatAmount(treasury.burnPerHour, config.decimals, 4)} ${config.tokenSymbol}/h`,
      ),
    );

    // Cumulative flows per hour; one extra point at "now" so a single bucket still draws a line.
    const hours = [...new Set(treasury.series.map((b) => b.start))].sort((a, b) => a - b);
    const nowHour = Math.floor(Date.now() / 1000);
    const x = hours.length ? [...hours, Math.max(nowHour, (hours.at(-1) ?? 0) + 60)] : [nowHour - 3600, nowHour];
    const scale = 10 ** config.decimals;
    let harvested = 0;
    let bought = 0;
    const harvestedLine: number[] = [];
    const boughtLine: number[] = [];
    const actions: number[] = [];
    for (const hour of x) {
      const buckets = treasury.series.filter((b) => b.start === hour);
      harvested += buckets.filter((b) => b.kind === 'harvest').reduce((s, b) => s + Number(b.amount) / scale, 0);
      bought += buckets.filter((b) => b.kind === 'open_channel' || b.kind === 'top_up').reduce((s, b) => s + Number(b.amount) / scale, 0);
      harvestedLine.push(harvested);
      boughtLine.push(bought);
      actions.push(buckets.reduce((s, b) => s + b.count, 0));
    }
    for (const plot of charts.splice(0)) plot.destroy();
    chart(el('chart-flows'), 'Yield harvested and compute bought', x, [
      { label: `Harvested (${config.tokenSymbol})`, values: harvestedLine, stroke: '#2f7d5b', fill: 'rgba(47,125,91,0.08)' },
      { label: `Compute bought (${config.tokenSymbol})`, values: boughtLine, stroke: '#3b5bdb', fill: 'rgba(59,91,219,0.08)' },
    ]);
    chart(el('chart-actions'), 'Agent actions per hour', x, [{ label: 'Actions', values: actions, stroke: '#b7791f', fill: 'rgba(183,121,31,0.35)', bars: true }]);

    el('providers').replaceChildren(
      ...(treasury.providers.length
        ? treasury.providers.map((p) => row([short(p.provider), String(p.calls), `${Math.round(p.successRate * 100)}%`, `${Math.round(p.p50LatencyMs)} ms`, amount(p.spend)], p.provider))
        : [row(['No inference bought yet', '', '', '', ''])]),
    );
    el('ledger').replaceChildren(
      ...(ledger.entries.length
        ? ledger.entries.map((e) => row([new Date(e.createdAt * 1000).toLocaleString(), e.kind.replace(/_/g, ' '), e.status, e.amount ? amount(e.amount) : '', e.reason]))
        : [row(['Nothing yet', '', '', '', ''])]),
    );
  };
  return { refresh };
}

function row(cells: string[], title?: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = cell;
    tr.append(td);
  }
  if (title) tr.title = title;
  return tr;
}

function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

import { formatEther, formatUnits } from 'viem';
import { channelAvailable } from './channelAvailable.js';
import { chooseProvider } from './chooseProvider.js';
import { gasCostInToken } from './gasCostInToken.js';
import { providerEligibility } from './providerEligibility.js';
import { runwayHours } from './runwayHours.js';
import type { ChannelSnapshot, ProviderSnapshot, TreasuryDecision, TreasuryParams, TreasurySnapshot } from './types.js';

/** Parameters of {@link decideTreasury}: the state of the world, and the policy's tuning. */
export type DecideTreasuryParameters = [snapshot: TreasurySnapshot, params: TreasuryParams];

/** Decisions in the order to execute them; a single `wait` when nothing is worth doing. */
export type DecideTreasuryReturnType = TreasuryDecision[];

/**
 * The treasury policy: from balances, pending yield, channels, providers, burn rate and gas price,
 * decides what to do, each with a reason that carries the numbers. Pure and deterministic: the
 * same snapshot gives the same decisions, and no LLM is involved, so it runs even when the agent
 * cannot afford to think.
 *
 * Order: finalize ended windows; close idle channels and those of providers no longer trusted or
 * active; refill the session key's gas (transport "direct"); harvest; open or top up to keep the
 * runway at target, within the TBA balance minus the reserve and the daily budget; then, for a
 * self-owned agent, ask the community for what the charter forbids: a session renewal before the
 * key's window ends, and trust for an active provider when compute is needed and no trusted one can
 * sell it. At most the charter's proposals per period, never the same ask while one is open, and
 * a refused provider is not asked for again within the period. Pending yield is not counted as
 * spendable until it is harvested.
 *
 * @param snapshot What the chain and memory say now.
 * @param params Thresholds from the config.
 * @returns The decisions.
 * @example
 * for (const decision of decideTreasury(snapshot, params)) log.info('treasury decided', decision)
 */
export function decideTreasury(...[snapshot, params]: DecideTreasuryParameters): DecideTreasuryReturnType {
  const { now } = snapshot;
  const decisions: TreasuryDecision[] = [];
  const notes: string[] = [];
  const token = (amount: bigint) => `${formatUnits(amount, params.token.decimals)} ${params.token.symbol}`;
  const eth = (wei: bigint) => `${formatEther(wei)} ETH`;
  const hours = (value: number) => (Number.isFinite(value) ? `${Number(value.toFixed(2))} h` : 'unlimited');
  const gasCost = (gas: bigint) => gasCostInToken({ gas, gasPriceWei: snapshot.gasPriceWei, ethPriceInToken: snapshot.ethPriceInToken });
  const providers = new Map<string, ProviderSnapshot>(snapshot.providers.map((provider) => [provider.address.toLowerCase(), provider]));
  const eligible = (provider: ProviderSnapshot | undefined) => provider !== undefined && providerEligibility({ provider, params }).eligible;
  const channels = [...snapshot.channels].sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0));
  const closeGas = gasCost(snapshot.gas.requestClose + snapshot.gas.finalize);

  // 1. Channels: finalize ended windows, close what is no longer useful, keep the rest usable.
  const usable: ChannelSnapshot[] = [];
  const idle: ChannelSnapshot[] = [];
  for (const channel of channels) {
    const available = channelAvailable(channel);
    const id = `#${channel.channelId}`;
    if (channel.closesAt !== undefined) {
      if (channel.closesAt <= now)
        decisions.push({
          action: 'finalize',
          params: { channelId: channel.channelId },
          reason: `challenge window of channel ${id} ended at ${channel.closesAt} (now ${now}); finalize to recover ${token(available)}`,
        });
      else notes.push(`channel ${id} is closing, its window ends in ${hours((channel.closesAt - now) / 3600)}`);
      continue;
    }
    const provider = providers.get(channel.provider.toLowerCase());
    // A provider that took its bond out (or below the minimum) since the channel opened: what a lie costs it no longer covers the deposit.
    const minBond = params.minProviderBond ?? 0n;
    const underBonded = provider !== undefined && minBond > 0n && (provider.bond ?? 0n) < minBond;
    if (!provider || !provider.trusted || !provider.active || underBonded) {
      const why = !provider
        ? 'is no longer listed in the market'
        : !provider.trusted
          ? 'is not trusted'
          : !provider.active
            ? 'is no longer active'
            : `is not bonded enough (bond ${provider.bond ?? 0n} < minimum ${minBond} token units)`;
      if (available > closeGas)
        decisions.push({
          action: 'request_close',
          params: { channelId: channel.channelId, provider: channel.provider },
          reason: `provider ${channel.provider} of channel ${id} ${why}; request close to recover ${token(available)} (gas ≈ ${token(closeGas)})`,
        });
      else notes.push(`channel ${id}: provider ${why}, but only ${token(available)} is left, not worth ${token(closeGas)} of gas to close`);
      continue;
    }
    const idleSeconds = now - (channel.lastUsedAt ?? channel.openedAt);
    if (idleSeconds >= params.idleCloseHours * 3600) idle.push(channel);
    else usable.push(channel);
  }
  // Keep one idle channel with an eligible provider as standby when nothing else is usable, so the agent can still think.
  const standby =
    usable.length === 0
      ? idle
          .filter((channel) => eligible(providers.get(channel.provider.toLowerCase())))
          .sort((a, b) => {
            const byAvailable = channelAvailable(b) - channelAvailable(a);
            return byAvailable !== 0n ? (byAvailable > 0n ? 1 : -1) : a.channelId < b.channelId ? -1 : 1;
          })[0]
      : undefined;
  for (const channel of idle) {
    const available = channelAvailable(channel);
    const id = `#${channel.channelId}`;
    const idleHours = hours((now - (channel.lastUsedAt ?? channel.openedAt)) / 3600);
    if (channel === standby) {
      usable.push(channel);
      notes.push(`channel ${id} idle for ${idleHours} but kept as the only usable channel`);
    } else if (available > closeGas)
      decisions.push({
        action: 'close',
        params: { channelId: channel.channelId, provider: channel.provider },
        reason: `channel ${id} unused for ${idleHours} (≥ ${params.idleCloseHours} h); close to recover ${token(available)}`,
      });
    else notes.push(`channel ${id} idle for ${idleHours}, but only ${token(available)} is left, not worth ${token(closeGas)} of gas to close`);
  }

  // 2. Gas for the session key (it pays its own transactions with transport "direct").
  if (params.transport === 'direct' && snapshot.sessionKeyEthBalance < params.sessionGasFloor) {
    const want = params.sessionGasTarget - snapshot.sessionKeyEthBalance;
    const canGive = snapshot.tbaEthBalance > params.tbaEthReserve ? snapshot.tbaEthBalance - params.tbaEthReserve : 0n;
    const refillCost = snapshot.gas.refillGas * snapshot.gasPriceWei;
    const amount = want < canGive ? want : canGive;
    if (snapshot.sessionKeyEthBalance < refillCost)
      notes.push(
        `session key has ${eth(snapshot.sessionKeyEthBalance)}, less than the ${eth(refillCost)} its own refill costs: the owner must fund it (or use transport "userop")`,
      );
    else if (amount <= 0n) notes.push(`session key is low on gas (${eth(snapshot.sessionKeyEthBalance)}) but the TBA has no spare ETH (${eth(snapshot.tbaEthBalance)})`);
    else
      decisions.push({
        action: 'refill_gas',
        params: { amountWei: amount },
        reason: `session key gas ${eth(snapshot.sessionKeyEthBalance)} < floor ${eth(params.sessionGasFloor)}; send ${eth(amount)} from the TBA (target ${eth(params.sessionGasTarget)})`,
      });
  }

  // 3. Harvest.
  const channelBalance = usable.reduce((sum, channel) => sum + channelAvailable(channel), 0n);
  const runway = runwayHours({ channelBalance, burnRatePerHour: snapshot.burnRatePerHour });
  const critical = channelBalance === 0n || runway < params.criticalRunwayHours;
  const harvestGas = gasCost(snapshot.gas.harvest);
  const pending = snapshot.pendingYield;
  if (pending === 0n) notes.push('no yield to harvest');
  else if (pending < snapshot.minHarvest) notes.push(`pending yield ${token(pending)} < minimum harvest ${token(snapshot.minHarvest)}`);
  else if (pending >= params.harvestGasMultiple * harvestGas)
    decisions.push({
      action: 'harvest',
      params: { pendingYield: pending },
      reason: `pending yield ${token(pending)} ≥ ${params.harvestGasMultiple}× harvest gas ${token(harvestGas)}`,
    });
  else if (critical && pending > harvestGas)
    decisions.push({
      action: 'harvest',
      params: { pendingYield: pending },
      reason: `compute is critically low (runway ${hours(runway)} < ${params.criticalRunwayHours} h, channel balance ${token(channelBalance)}) and pending yield ${token(pending)} covers harvest gas ${token(harvestGas)}`,
    });
  else notes.push(`pending yield ${token(pending)} < ${params.harvestGasMultiple}× harvest gas ${token(harvestGas)}; letting it grow`);

  // 4. Runway: open or top up.
  const burn = snapshot.burnRatePerHour;
  const targetSeconds = BigInt(Math.ceil(snapshot.runwayTargetHours * 3600));
  const targetBalance = (burn * targetSeconds + 3599n) / 3600n;
  let need = 0n;
  let why = '';
  let wantsProvider: string | undefined;
  if (usable.length === 0) {
    need = targetBalance > params.minDeposit ? targetBalance : params.minDeposit;
    why = `no usable channel (burn ${token(burn)}/h, target ${snapshot.runwayTargetHours} h)`;
  } else if (burn === 0n) notes.push(`burn rate is zero; runway unlimited with ${token(channelBalance)} in channels`);
  else if (channelBalance >= targetBalance) notes.push(`runway ${hours(runway)} ≥ target ${snapshot.runwayTargetHours} h (${token(channelBalance)} at ${token(burn)}/h)`);
  else {
    need = targetBalance - channelBalance;
    why = `runway ${hours(runway)} < target ${snapshot.runwayTargetHours} h (${token(channelBalance)} in channels at ${token(burn)}/h)`;
  }
  if (need > 0n) {
    const spendable = snapshot.tbaBalance > params.reserve ? snapshot.tbaBalance - params.reserve : 0n;
    const budget = spendable < snapshot.caps.dailyBudgetRemaining ? spendable : snapshot.caps.dailyBudgetRemaining;
    const wanted = need > params.minDeposit ? need : params.minDeposit;
    const amount = wanted < budget ? wanted : budget;
    const limits = `TBA ${token(snapshot.tbaBalance)} minus reserve ${token(params.reserve)} leaves ${token(spendable)}, daily budget left ${token(snapshot.caps.dailyBudgetRemaining)}`;
    const topUpCandidates = usable.filter((channel) => eligible(providers.get(channel.provider.toLowerCase())));
    const choice = topUpCandidates.length
      ? chooseProvider({ providers: topUpCandidates.map((channel) => providers.get(channel.provider.toLowerCase()) as ProviderSnapshot), params })
      : chooseProvider({ providers: snapshot.providers, params });
    if (!choice.provider) {
      notes.push(`${why}, but ${choice.reason}`);
      wantsProvider = why;
    }
    else if (amount < params.minDeposit)
      notes.push(
        `${why}; need ${token(need)} but ${snapshot.caps.dailyBudgetRemaining < spendable ? 'the daily compute budget is spent' : 'the balance is insufficient'} (${limits}; minimum deposit ${token(params.minDeposit)})`,
      );
    else {
      const capped = amount < wanted ? `, capped from ${token(wanted)}: ${limits}` : '';
      const target = topUpCandidates.find((channel) => channel.provider.toLowerCase() === choice.provider.address.toLowerCase());
      if (target)
        decisions.push({
          action: 'top_up',
          params: { channelId: target.channelId, provider: target.provider, amount },
          reason: `${why}; top up channel #${target.channelId} with ${target.provider} by ${token(amount)}${capped}`,
        });
      else
        decisions.push({
          action: 'open',
          params: { provider: choice.provider.address, amount },
          reason: `${why}; open a channel with ${token(amount)}: ${choice.reason}${capped}`,
        });
    }
  }

  // 5. Ask the community for what the charter forbids.
  const governance = snapshot.governance;
  if (governance) {
    let left = governance.proposalsPerPeriod - governance.filedThisPeriod;
    const openAsk = (kind: string) => governance.proposals.some((proposal) => proposal.open && proposal.kind === kind);
    const lead = params.sessionRenewalLeadSeconds ?? 7 * 86_400;
    const endsIn = governance.sessionValidUntil - now;
    if (endsIn < lead) {
      const when = `session key's window ends at ${governance.sessionValidUntil} (in ${hours(endsIn / 3600)}), within the renewal lead of ${hours(lead / 3600)}`;
      if (openAsk('renewSession')) notes.push(`${when}; the renewal proposal is before the community`);
      else if (left <= 0) notes.push(`${when}, but the charter's ${governance.proposalsPerPeriod} proposals this period are filed`);
      else {
        left--;
        decisions.push({
          action: 'propose_to_community',
          params: { ask: 'renewSession' },
          reason: `${when}: ask the community to renew it (the vote and the timelock's delay must pass before it ends)`,
        });
      }
    }
    if (wantsProvider) {
      const untrusted = snapshot.providers.filter((provider) => !provider.trusted && provider.active);
      const asked = (provider: ProviderSnapshot) =>
        governance.proposals.some(
          (proposal) =>
            proposal.kind === 'trustProvider' &&
            proposal.provider?.toLowerCase() === provider.address.toLowerCase() &&
            (proposal.open || proposal.snapshot > now - governance.proposalPeriod),
        );
      const candidate = chooseProvider({ providers: untrusted.map((provider) => ({ ...provider, trusted: true })), params }).provider;
      if (!candidate) notes.push('no untrusted active provider to ask the community for either');
      else if (asked(candidate)) notes.push(`trust for ${candidate.address} was asked of the community this period`);
      else if (left <= 0) notes.push(`would ask the community to trust ${candidate.address}, but the charter's ${governance.proposalsPerPeriod} proposals this period are filed`);
      else
        decisions.push({
          action: 'propose_to_community',
          params: { ask: 'trustProvider', provider: candidate.address },
          reason: `${wantsProvider} and no trusted provider can sell compute; ${candidate.address} is active in the market (in ${candidate.priceIn}/out ${candidate.priceOut} units per M tokens): ask the community to trust it`,
        });
    }
  }

  if (decisions.length === 0) return [{ action: 'wait', params: {}, reason: notes.join('; ') || 'nothing to do' }];
  return decisions;
}

import type { PublicClient } from 'viem';
import { computeMarketAbi } from '../../chain/abi/generated/computeMarket.js';
import type { AgentChannel } from '../../memory/createChannelsStore.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import type { AgentDeployment } from '../../guard/AgentDeployment.js';

/** Parameters of {@link syncChannels}. */
export type SyncChannelsParameters = {
  publicClient: PublicClient;
  deployment: AgentDeployment;
  memory: Pick<OpenAgentMemoryReturnType, 'channels' | 'kv'>;
};

/** Return type of {@link syncChannels}: the channels not yet closed, as the chain says now. */
export type SyncChannelsReturnType = AgentChannel[];

const cursorKey = 'channels.syncedBlock';

/**
 * Brings the memory's channels in line with the chain: channels the agent opened (found by their
 * `ChannelOpened` events since the last synced block) are added, and every channel not yet closed
 * gets its deposit, redemptions, status and challenge window from `getChannel`. The chain wins.
 *
 * @param parameters Chain, deployment and memory.
 * @returns The channels still open or closing.
 * @example const open = await syncChannels({ publicClient, deployment, memory })
 */
export async function syncChannels(parameters: SyncChannelsParameters): Promise<SyncChannelsReturnType> {
  const { publicClient, deployment, memory } = parameters;
  const market = deployment.computeMarket;
  const head = await publicClient.getBlockNumber();
  const from = BigInt(memory.kv.get(cursorKey) ?? '0');
  if (head >= from) {
    const opened = await publicClient.getContractEvents({ address: market, abi: computeMarketAbi, eventName: 'ChannelOpened', args: { payer: deployment.agent.tba }, fromBlock: from, toBlock: head });
    for (const log of opened) {
      const { channelId, provider, signer, deposit } = log.args;
      if (channelId === undefined || !provider || !signer || deposit === undefined) continue;
      if (!memory.channels.get(channelId)) memory.channels.upsert({ channelId, provider, signer, deposit });
    }
    memory.kv.set(cursorKey, (head + 1n).toString());
  }
  for (const known of memory.channels.listOpen()) {
    const onChain = await publicClient.readContract({ address: market, abi: computeMarketAbi, functionName: 'getChannel', args: [known.channelId] });
    memory.channels.upsert({
      channelId: known.channelId,
      provider: onChain.provider,
      signer: onChain.signer,
      deposit: onChain.deposit,
      redeemed: onChain.redeemed,
      status: onChain.closed ? 'closed' : onChain.closesAt > 0n ? 'closing' : 'open',
      ...(onChain.closesAt > 0n ? { closesAt: Number(onChain.closesAt) } : {}),
    });
  }
  return memory.channels.listOpen();
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTreasury } from '../../agent/treasury/runTreasury.js';
import type { OpenAgentMemoryReturnType } from '../../memory/openAgentMemory.js';
import { startAgentWorld, type AgentWorld } from '../fixtures/startAgentWorld.js';
import { treasuryContextFor } from '../fixtures/treasuryContextFor.js';

let world: AgentWorld;
let memory: OpenAgentMemoryReturnType;

beforeAll(async () => {
  world = await startAgentWorld({ userop: true });
  memory = world.openMemory();
  await world.warp(30 * 86_400);
});
afterAll(async () => {
  memory?.close();
  await world?.stop();
});

describe('treasury over ERC-4337 (transport "userop", the `y2c up` default)', () => {
  it('harvests and opens a channel through the bundler, journaled like the direct transport', async () => {
    expect(world.wallet.transport).toBe('userop');
    const context = { ...treasuryContextFor(world, memory), params: { ...treasuryContextFor(world, memory).params, transport: 'userop' as const } };
    const { outcomes } = await runTreasury(context);
    expect(outcomes.filter((outcome) => outcome.status === 'done').map((outcome) => outcome.decision.action)).toEqual(['harvest', 'open']);
    expect(memory.ledger.listRecent(10).map((entry) => entry.status)).toEqual(['confirmed', 'confirmed']);
    expect(memory.channels.listOpen()).toHaveLength(1);
  });
});

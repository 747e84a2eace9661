import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openAgentMemory } from '../../memory/openAgentMemory.js';
import { invokeTool } from '../../test/fixtures/invokeTool.js';
import { createRecallTool } from './createRecallTool.js';
import { createRememberTool } from './createRememberTool.js';
import { recallSchema, rememberSchema } from './schemas.js';

const dir = mkdtempSync(join(tmpdir(), 'y2c-memory-tools-'));
const memory = openAgentMemory(join(dir, 'agent.db'));
afterAll(() => {
  memory.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remember', () => {
  const remember = createRememberTool({ memory });
  it('schema accepts a topic and a note', () => expect(rememberSchema.safeParse({ topic: 'members.alice', note: 'likes charts' }).success).toBe(true));
  it('schema rejects an upper-case topic and an empty note', () => {
    expect(rememberSchema.safeParse({ topic: 'Members Alice', note: 'x' }).success).toBe(false);
    expect(rememberSchema.safeParse({ topic: 'a', note: '' }).success).toBe(false);
  });
  it('files a note on disk', async () => {
    const { content, artifact } = await invokeTool(remember, { topic: 'members.alice', note: 'likes charts' });
    expect(content).toContain('members.alice');
    expect(artifact.topic).toBe('members.alice');
    expect(memory.kv.getJson<{ note: string }>('note:members.alice')?.note).toBe('likes charts');
  });
  it('an invalid call is refused before anything is written', async () => {
    await expect(remember.invoke({ topic: '', note: 'x' } as never)).rejects.toThrow();
    expect(memory.kv.keys()).toEqual(['note:members.alice']);
  });
});

describe('recall', () => {
  const recall = createRecallTool({ memory });
  it('schema accepts defaults', () => expect(recallSchema.parse({})).toEqual({ query: '', limit: 10 }));
  it('schema rejects a limit out of range', () => expect(recallSchema.safeParse({ limit: 500 }).success).toBe(false));
  it('finds notes by words', async () => {
    const { content, artifact } = await invokeTool(recall, { query: 'alice charts' });
    expect(content).toBe('[members.alice] likes charts');
    expect(artifact).toHaveLength(1);
  });
  it('says plainly when nothing matches', async () => {
    const { content, artifact } = await invokeTool(recall, { query: 'bob' });
    expect(content).toBe('No notes found.');
    expect(artifact).toEqual([]);
  });
});

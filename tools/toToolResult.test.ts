import { describe, expect, it } from 'vitest';
import { AgentError } from '../core/AgentError.js';
import { toToolResult } from './toToolResult.js';

class DiskError extends AgentError {
  override name = 'DiskError' as const;
}

describe('tool errors carry stack traces and paths into the model', () => {
  it('turns any error into one short line, without stack frames or absolute paths', async () => {
    const failures = [
      Object.assign(new Error("ENOENT: no such file or directory, open '/home/agent/.y2c/agent.db'\n    at Object.openSync (node:fs:573:18)"), { stack: 'Error: x\n    at /work/y2c/tools/memory/createRecallTool.ts:12:3' }),
      new DiskError('The database at /home/agent/.y2c/agent.db is corrupt or unreadable.', { details: 'at /work/y2c/memory/openDatabase.ts:40' }),
      new TypeError(`Cannot read properties of undefined (reading 'x') ${'z'.repeat(1_000)}`),
    ];
    for (const failure of failures) {
      const [content, artifact] = await toToolResult(async () => {
        throw failure;
      });
      expect(content).not.toMatch(/\/home\/|\/work\/|node:fs|\n/);
      expect(content.length).toBeLessThanOrEqual(300);
      expect(JSON.stringify(artifact)).not.toMatch(/\/home\/|\/work\//);
    }
  });

  it('keeps the useful part of the message', async () => {
    const [content] = await toToolResult(async () => {
      throw new DiskError('The database at /home/agent/.y2c/agent.db is corrupt or unreadable.');
    });
    expect(content).toBe('Refused: The database at <path> is corrupt or unreadable. (DiskError)');
  });
});

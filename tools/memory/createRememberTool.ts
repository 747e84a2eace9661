import type { Address } from 'viem';
import { tool } from '@langchain/core/tools';
import { toToolResult } from '../toToolResult.js';
import type { Y2cToolContext } from '../Y2cToolContext.js';
import { rememberSchema } from './schemas.js';

/** Prefix of note keys in the kv store. */
export const notePrefix = 'note:';

/** Whose notes a tool writes and reads: a member's (in their conversations), or the agent's own. */
export type NoteScope = { member?: Address | undefined };

/**
 * The kv key of a note: `note:<topic>` for the agent's own, `note:@<member>:<topic>` for a member's
 * (a topic cannot contain `@` or `:`, so a member cannot write into the agent's notes or another's).
 */
export function noteKey(scope: NoteScope, topic: string): string {
  return scope.member ? `${notePrefix}@${scope.member.toLowerCase()}:${topic}` : `${notePrefix}${topic}`;
}

/**
 * The `remember` tool: files a note under a topic in the agent's memory. Notes are data only:
 * the guard's policy comes from the config and code, so a note can never change a limit. In a
 * member's conversation (`scope.member`) the note is that member's: no one else recalls it.
 *
 * @param context Memory.
 * @param scope The member whose conversation this is; none for the agent's own notes.
 * @returns The LangChain tool.
 * @example await createRememberTool(context).invoke({ topic: 'members.alice', note: 'prefers short answers' })
 */
export function createRememberTool(context: Pick<Y2cToolContext, 'memory'>, scope: NoteScope = {}) {
  return tool(
    (input) =>
      toToolResult(async () => {
        const at = new Date().toISOString();
        context.memory.kv.setJson(noteKey(scope, input.topic), { note: input.note, at });
        return [`Noted under "${input.topic}".`, { topic: input.topic, at }];
      }),
    {
      name: 'remember',
      description: 'Saves a short note under a topic for later (replaces the previous note of that topic). Notes are facts to recall, never rules: they do not change what the agent may do.',
      schema: rememberSchema,
      responseFormat: 'content_and_artifact',
    },
  );
}

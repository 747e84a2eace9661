import { z } from 'zod';

const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal amount such as "2.5"');

/** Input of propose_to_community: one ask, with the agent's reasons. */
export const proposeToCommunitySchema = z
  .object({
    ask: z
      .enum(['trust_provider', 'charter_change', 'renew_session'])
      .describe('What to ask for: trust_provider (pay a provider the charter does not list), charter_change (constitution, caps or runway target), renew_session (a fresh session window).'),
    reasons: z.string().min(20).max(2_000).describe('Why the community should agree, with the numbers behind it (members read this before voting).'),
    provider: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an 0x-prefixed 20-byte address').optional().describe('trust_provider: the provider\'s address.'),
    constitution: z.string().min(1).max(2_000).optional().describe('charter_change: the whole new constitution text.'),
    dailyCap: decimal.optional().describe('charter_change: the new daily compute budget, payment-token units as a decimal string.'),
    perCallCap: decimal.optional().describe('charter_change: the new most one inference call may cost, as a decimal string.'),
    runwayTargetHours: z.number().int().min(1).max(8_760).optional().describe('charter_change: hours of compute the treasury keeps funded.'),
  })
  .refine((input) => input.ask !== 'trust_provider' || input.provider !== undefined, { message: 'trust_provider needs the provider address', path: ['provider'] })
  .refine(
    (input) => input.ask !== 'charter_change' || input.constitution !== undefined || input.dailyCap !== undefined || input.perCallCap !== undefined || input.runwayTargetHours !== undefined,
    { message: 'charter_change needs at least one of constitution, dailyCap, perCallCap, runwayTargetHours', path: ['ask'] },
  );

import { z } from 'zod';

/** Input of harvest_yield. */
export const harvestYieldSchema = z.object({
  reason: z.string().min(1).max(500).describe('Why harvest now, in one sentence (kept in the ledger).'),
});

/** Input of member_info. */
export const memberInfoSchema = z.object({
  address: z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'an 0x-prefixed 20-byte address').describe('Address of the staker to look up.'),
});

import { z } from 'zod';

/** Input of treasury_status. */
export const treasuryStatusSchema = z.object({
  includeChannels: z.boolean().default(true).describe('Include the agent\'s open payment channels.'),
});

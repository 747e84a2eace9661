/** ERC-8004 `tag1` of the feedback y2c agents post after a settlement audit (what readers filter on). */
export const providerFeedbackTag = 'y2c.audit';

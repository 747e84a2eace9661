export { createTreasuryStatusTool } from './createTreasuryStatusTool.js';
export { readTreasuryStatus, type ReadTreasuryStatusReturnType } from './readTreasuryStatus.js';
export { treasuryStatusSchema } from './schemas.js';

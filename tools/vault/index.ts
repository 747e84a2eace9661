export { createHarvestYieldTool } from './createHarvestYieldTool.js';
export { createMemberInfoTool } from './createMemberInfoTool.js';
export { harvestYieldSchema, memberInfoSchema } from './schemas.js';

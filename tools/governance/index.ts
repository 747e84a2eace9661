export { createProposeToCommunityTool } from './createProposeToCommunityTool.js';
export { proposeToCommunitySchema } from './schemas.js';

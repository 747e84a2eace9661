export { createRecallTool } from './createRecallTool.js';
export { createRememberTool, notePrefix } from './createRememberTool.js';
export { recallSchema, rememberSchema } from './schemas.js';

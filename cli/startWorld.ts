/**
 * `npm start`: builds what the world needs ({@link buildWorld}), then runs the `y2c` command line
 * (`up`) in the same process. The CLI is imported only after the build, because it imports the
 * generated ABIs.
 */
import { buildWorld } from './buildWorld.js';

await buildWorld();
await import('./main.js');

import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Where the built page lands (gitignored). */
export const webDist = fileURLToPath(new URL('./dist', import.meta.url));

/** Return type of {@link buildWeb}. */
export type BuildWebReturnType = { outDir: string };

/**
 * Bundles the chat and treasury page with Vite into agent/web/dist. Run as
 * `tsx agent/web/buildWeb.ts` (what `npm run build` should call), or import it.
 *
 * @returns The output folder.
 * @example await buildWeb()
 */
export async function buildWeb(): Promise<BuildWebReturnType> {
  await build({ configFile: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) });
  return { outDir: webDist };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { outDir } = await buildWeb();
  process.stdout.write(`web: built ${outDir}\n`);
}

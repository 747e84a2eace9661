import type { RegistrationFile } from './buildRegistrationFile.js';

/**
 * The registration file as the `data:` URI the agent publishes on chain (`setAgentURI`), so the
 * identity resolves without any server: `data:application/json;base64,<JSON>`.
 *
 * @param file The registration file.
 * @returns The data URI.
 */
export function registrationDataUri(file: RegistrationFile): string {
  return `data:application/json;base64,${Buffer.from(JSON.stringify(file)).toString('base64')}`;
}

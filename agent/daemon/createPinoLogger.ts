import { pino, type DestinationStream } from 'pino';
import type { LogLevel } from '../../config/types.js';
import type { Logger } from '../../core/Logger.js';
import { jsonReplacer } from '../../core/jsonReplacer.js';

/** Parameters of {@link createPinoLogger}. */
export type CreatePinoLoggerParameters = { level: LogLevel; destination?: DestinationStream };

/**
 * The daemon's logger: pino JSON lines, called as `log.info('harvested', { amount })` (lowercase
 * message plus fields); bigints become decimal strings.
 *
 * @param parameters Level and optional destination (default stdout).
 * @returns The logger.
 * @example const log = createPinoLogger({ level: config.logLevel }); log.info('agent started', { tba })
 */
export function createPinoLogger(parameters: CreatePinoLoggerParameters): Logger {
  const base = pino({ level: parameters.level, base: { service: 'y2c-agent' } }, parameters.destination);
  const safe = (fields: Record<string, unknown> = {}) => JSON.parse(JSON.stringify(fields, jsonReplacer)) as Record<string, unknown>;
  return {
    info: (message, fields) => base.info(safe(fields), message),
    warn: (message, fields) => base.warn(safe(fields), message),
    error: (message, fields) => base.error(safe(fields), message),
  };
}

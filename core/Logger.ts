/** The daemon's structured log: a lowercase message plus fields (pino's `log.info(fields, message)` behind it). */
export type Logger = {
  info: (message: string, fields?: Record<string, unknown>) => void;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  error: (message: string, fields?: Record<string, unknown>) => void;
};

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };

import { AgentError } from '../core/AgentError.js';

/** A port y2c was told to listen on is taken by another program. */
export class PortInUseError extends AgentError {
  override name = 'PortInUseError' as const;
}

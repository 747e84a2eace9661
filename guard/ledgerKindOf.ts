import type { GuardedActionName } from './GuardPolicy.js';

/** Ledger kind of each action. */
export const ledgerKindOf = {
  harvest: 'harvest',
  open: 'open_channel',
  top_up: 'top_up',
  request_close: 'request_close',
  finalize: 'finalize',
  refill_gas: 'refill_gas',
  publish_identity: 'publish_identity',
  rate_provider: 'rate_provider',
  propose: 'propose',
  x402_deposit: 'x402_deposit',
  accuse_over_redemption: 'accuse_over_redemption',
  slash_over_redemption: 'slash_over_redemption',
  prove_double_signing: 'prove_double_signing',
} as const satisfies Record<GuardedActionName, string>;

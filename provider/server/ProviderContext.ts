import type { Address } from 'viem';
import type { CreateVoucherVerifierReturnType } from '../../chain/voucher/createVoucherVerifier.js';
import type { MaxCostTerms } from '../../chain/voucher/maxCost.js';
import type { Backend, ModelInfo } from '../backends/Backend.js';
import type { CreateChannelReaderReturnType } from '../chain/createChannelReader.js';
import type { Logger } from '../../core/Logger.js';
import type { ProviderStore } from '../store/ProviderStore.js';
import type { CreateX402SellerReturnType } from '../x402/createX402Seller.js';
import type { CreateReceiptSignerReturnType } from './createReceiptSigner.js';

/** What the provider's request steps share: its identity, terms and parts (the handler's only state). */
export type ProviderContext = {
  /** The provider's address (channels must name it). */
  provider: Address;
  /** The ComputeMarket contract. */
  market: Address;
  /** Chain id. */
  chainId: number;
  /** Prices and the default completion cap. */
  terms: MaxCostTerms;
  /** Largest request body accepted (bytes). */
  maxBodyBytes: number;
  /** The model behind the provider. */
  backend: Backend;
  /** The ledger. */
  store: ProviderStore;
  /** Channel reader. */
  channels: CreateChannelReaderReturnType;
  /** Voucher verifier for this market. */
  verifier: CreateVoucherVerifierReturnType;
  /** Logger. */
  log: Logger;
  /** The x402 v2 seller (issue 14): unpaid requests get a `PAYMENT-REQUIRED` offer too, `PAYMENT-SIGNATURE` pays. */
  x402?: CreateX402SellerReturnType | undefined;
  /** Signs a receipt for every response served (none when absent). */
  receipts?: CreateReceiptSignerReturnType | undefined;
  /** What each served model takes. */
  modelInfo: Readonly<Record<string, ModelInfo>>;
};

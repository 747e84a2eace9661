import { x402Client } from '@x402/core/client';
import { decodePaymentRequiredHeader, decodePaymentResponseHeader } from '@x402/core/http';
import type { PaymentRequired, PaymentRequirements, SchemeNetworkClient } from '@x402/core/types';
import { BatchSettlementEvmScheme, computeChannelId, InMemoryClientChannelStorage } from '@x402/evm/batch-settlement/client';
import { wrapFetchWithPayment } from '@x402/fetch';
import { getAddress, isAddressEqual, keccak256, toHex, type Address, type LocalAccount, type PublicClient } from 'viem';
import type { X402ChannelConfig } from '../../guard/createGuardedExecutor.js';
import { DailyCapExceededError, PerRequestCapExceededError, ProviderUntrustedError, X402OfferRefusedError } from './errors.js';
import type { PayingStore } from './PayingStore.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';

/** How the agent buys from x402 sellers (the `x402` option of `createPayingFetch`). */
export type X402BuyerOptions = {
  /** Origins (scheme, host, port) of the allowlisted x402 services: requests to them are paid over x402. */
  origins: readonly string[];
  /** The sellers (`payTo`, the channel's receiver) the agent may pay; a function is read at every offer (a charter's live list). */
  trustedSellers: readonly Address[] | (() => readonly Address[]);
  /** Price caps per service: a request under one of these base URLs may cost at most its `maxPrice` (the per-request cap applies too). */
  services?: readonly { url: string; maxPrice: bigint }[];
  /** The agent's account (the TBA): the channel's payer. */
  payer: Address;
  /** The session key: the channel's `payerAuthorizer`, signing the vouchers. */
  sessionKey: LocalAccount;
  /** The payment token (the only asset paid). */
  token: Address;
  /** Chain id (the only network paid, as `eip155:<id>`). */
  chainId: number;
  /** Reads the escrow (a channel's balance and claimed total after a restart). */
  publicClient: PublicClient;
  /** Deposits into the escrow through the guarded executor (approve + `deposit`, the TBA paying). */
  deposit: (request: { channel: X402ChannelConfig; amount: bigint }) => Promise<void>;
  /** Token units to deposit when a channel needs funds, given the least needed and the price (default max(least, 10 × price)). */
  depositAmount?: (request: { minimum: bigint; price: bigint }) => bigint;
  /** Longest withdraw delay accepted, seconds (a day by default). */
  maxWithdrawDelay?: number;
};

/** Parameters of {@link createX402Fetch}. */
export type CreateX402FetchParameters = X402BuyerOptions & {
  /** Spending limits in payment-token units (the paying fetch's). */
  caps: { perRequest: bigint; daily: bigint };
  /** Where calls are booked and distrust is kept (the paying fetch's). */
  store: PayingStore;
  /** The fetch to wrap. */
  fetch: typeof fetch;
  /** Clock (ms). */
  now: () => number;
};

const scheme = 'batch-settlement';

/**
 * A `fetch` that pays x402 v2 sellers with `batch-settlement`, the agent's TBA as payer and the session key as
 * `payerAuthorizer`: on a 402 whose `PAYMENT-REQUIRED` offers it, the offer is checked before anything is
 * signed or deposited (a trusted seller, this chain and token, a price within the per-request cap and the
 * daily cap, a withdraw delay within bounds); a channel short of funds is funded by `deposit` (the guarded
 * executor: approve + escrow `deposit`, collector zero); the official `@x402/evm` client signs the
 * running-total voucher and `@x402/fetch` retries with `PAYMENT-SIGNATURE`. The call is booked at the
 * seller's `chargedAmount` from `PAYMENT-RESPONSE`; a figure above the price (or missing) is booked at the
 * price and a lie marks the seller untrusted. `exact` is refused: its ERC-3009 authorization must be signed
 * by the payer, and the TBA's ERC-1271 answers for its owner only, so the session key cannot sign it.
 * Payments are serialised (vouchers are cumulative).
 *
 * @param parameters Seller allowlist, account, session key, deposit callback, caps and store.
 * @returns The fetch.
 */
export function createX402Fetch(parameters: CreateX402FetchParameters): typeof fetch {
  const { caps, store, now, sessionKey, payer, chainId } = parameters;
  const network = `eip155:${chainId}` as const;
  const maxDelay = parameters.maxWithdrawDelay ?? 86_400;
  const storage = new InMemoryClientChannelStorage();
  const sellers = () => (typeof parameters.trustedSellers === 'function' ? parameters.trustedSellers() : parameters.trustedSellers);
  const serviceCaps = (parameters.services ?? []).map((service) => ({ base: new URL(service.url), maxPrice: service.maxPrice }));
  /** The URL being paid for (payments are serialised), for its service's price cap. */
  let paying: URL | undefined;
  const signer = {
    address: getAddress(payer),
    signTypedData: async () => {
      throw new X402OfferRefusedError('The agent account cannot sign x402 deposit authorizations; it deposits on chain.');
    },
    readContract: (args: never) => parameters.publicClient.readContract(args),
  };
  const official = new BatchSettlementEvmScheme(signer as never, {
    storage,
    payerAuthorizer: sessionKey.address,
    voucherSigner: sessionKey as never,
    // One salt per (account, key): the channel to a seller is the same across restarts and found on chain.
    salt: keccak256(toHex(`y2c x402 ${payer.toLowerCase()} ${sessionKey.address.toLowerCase()}`)),
    depositStrategy: async (context) => {
      const minimum = BigInt(context.minimumDepositAmount);
      const price = BigInt(context.requestAmount);
      const wanted = parameters.depositAmount?.({ minimum, price }) ?? 10n * price;
      const amount = wanted > minimum ? wanted : minimum;
      const channel = context.channelConfig as X402ChannelConfig;
      await parameters.deposit({ channel, amount });
      const key = context.channelId.toLowerCase();
      const current = (await storage.get(key)) ?? {};
      await storage.set(key, { ...current, balance: (BigInt(current.balance ?? '0') + amount).toString(), chargedCumulativeAmount: current.chargedCumulativeAmount ?? '0' });
      return false as const; // deposited on chain: send a voucher only
    },
  });
  /** The typed refusal of the last payload attempt (the official fetch rewraps errors as plain ones). */
  let refusal: unknown;
  /** Every offer part the agent depends on, checked again at signing time; the official hooks reconcile responses. */
  const guarded = {
    scheme,
    schemeHooks: official.schemeHooks,
    createPaymentPayload: async (version: number, requirements: PaymentRequirements, context?: unknown) => {
      try {
        await checkOffer(requirements);
        return await official.createPaymentPayload(version, requirements, context as never);
      } catch (error) {
        refusal = error;
        throw error;
      }
    },
  } as unknown as SchemeNetworkClient;
  const client = new x402Client((_version, accepts) => {
    const offer = accepts.find((accept) => accept.scheme === scheme && accept.network === network);
    if (!offer) throw new X402OfferRefusedError('No batch-settlement offer on this network.');
    return offer;
  })
    .register(network, guarded)
    .setSpendControls({ allowedAssets: [{ network, asset: parameters.token }] } as never);

  /** Refuses an offer before anything is deposited or signed. */
  async function checkOffer(offer: PaymentRequirements): Promise<bigint> {
    if (offer.network !== network) throw new X402OfferRefusedError(`The x402 offer is on ${offer.network}, not ${network}.`);
    let seller: Address;
    try {
      seller = getAddress(offer.payTo);
    } catch (cause) {
      throw new X402OfferRefusedError(`The x402 offer's payTo ${String(offer.payTo)} is not an address.`, { cause });
    }
    if (!sellers().some((trusted) => isAddressEqual(trusted, seller))) {
      throw new ProviderUntrustedError(`The x402 seller ${seller} is not a trusted seller.`);
    }
    const distrust = await store.untrusted(seller);
    if (distrust) throw new ProviderUntrustedError(`The x402 seller ${seller} is untrusted: ${distrust}`);
    if (!/^0x[0-9a-fA-F]{40}$/.test(offer.asset) || !isAddressEqual(offer.asset as Address, parameters.token)) {
      throw new X402OfferRefusedError(`The x402 offer asks for ${offer.asset}, not the payment token ${parameters.token}.`);
    }
    const delay = (offer.extra as { withdrawDelay?: unknown } | undefined)?.withdrawDelay;
    if (typeof delay !== 'number' || !Number.isInteger(delay) || delay <= 0 || delay > maxDelay) {
      throw new X402OfferRefusedError(`The x402 offer's withdraw delay ${String(delay)} is outside (0, ${maxDelay}] s.`);
    }
    if (!/^[0-9]+$/.test(offer.amount)) throw new X402OfferRefusedError(`The x402 offer's amount ${offer.amount} is not a token amount.`);
    const price = BigInt(offer.amount);
    if (price > caps.perRequest) {
      throw new PerRequestCapExceededError(`The x402 seller asks ${price}, above the per-request cap of ${caps.perRequest}.`);
    }
    const service = paying && serviceCaps.find(({ base }) => base.origin === paying?.origin && paying.pathname.startsWith(base.pathname));
    if (service && price > service.maxPrice) {
      throw new PerRequestCapExceededError(`The x402 seller asks ${price}, above the service's maximum price of ${service.maxPrice}.`);
    }
    const recent = await store.costSince(now() - 86_400_000);
    if (recent + price > caps.daily) {
      throw new DailyCapExceededError(`Paying ${price} more would pass the daily cap of ${caps.daily} (${recent} used in 24 h).`);
    }
    return price;
  }

  /** Checks the first 402's offer before the official client touches it (its own errors are plain). */
  let offered: PaymentRequirements | undefined;
  const inspecting: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const response = await parameters.fetch(request);
    if (request.headers.has(protocolHeaders.x402Payment)) return judgeSettlement(response);
    if (response.status !== 402) return response;
    const header = response.headers.get(protocolHeaders.x402Required);
    if (!header) return response;
    let required: PaymentRequired;
    try {
      required = decodePaymentRequiredHeader(header);
    } catch (cause) {
      throw new X402OfferRefusedError('The seller sent an unreadable PAYMENT-REQUIRED header.', { cause });
    }
    const offer = required.accepts.find((accept) => accept.scheme === scheme);
    if (!offer) {
      throw new X402OfferRefusedError(
        `The seller offers ${required.accepts.map((accept) => accept.scheme).join(', ') || 'nothing'}; the agent pays batch-settlement only (exact needs an ERC-3009 signature by the account, which the session key cannot give).`,
      );
    }
    await checkOffer(offer);
    offered = offer;
    return response;
  };
  /**
   * Judges the seller's PAYMENT-RESPONSE before the official client reads it: a charge above the offer's
   * price (more than the voucher allowed), or a figure that is not an amount, is a lie. The official
   * client would throw on it and leave the call unbooked, so it gets the most the voucher allowed
   * instead (its channel state then matches what the agent books, the price).
   */
  let judged: { charged: bigint; lie?: string } | undefined;
  const judgeSettlement = (response: Response): Response => {
    const offer = offered;
    const settlement = response.headers.get(protocolHeaders.x402Response);
    if (!offer || !settlement) return response;
    const price = BigInt(offer.amount);
    let decoded: { success?: boolean; extra?: Record<string, unknown> };
    try {
      decoded = decodePaymentResponseHeader(settlement) as typeof decoded;
    } catch {
      judged = { charged: price, lie: 'its PAYMENT-RESPONSE is unreadable' };
      const headers = new Headers(response.headers);
      headers.delete(protocolHeaders.x402Response);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
    const reported = String(decoded.extra?.chargedAmount ?? offer.amount);
    if (/^[0-9]+$/.test(reported) && BigInt(reported) <= price) {
      judged = { charged: BigInt(reported) };
      return response;
    }
    judged = { charged: price, lie: /^[0-9]+$/.test(reported) ? `it charged ${reported}, above its price of ${price}` : `it reported a charge of "${reported}"` };
    // The overstated running total goes too: the official client then advances its state by the price.
    const extra: Record<string, unknown> = { ...decoded.extra, chargedAmount: price.toString() };
    delete extra.channelState;
    const honest = { ...decoded, extra };
    const headers = new Headers(response.headers);
    headers.set(protocolHeaders.x402Response, Buffer.from(JSON.stringify(honest)).toString('base64'));
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  const pay = wrapFetchWithPayment(inspecting, client);
  let queue: Promise<unknown> = Promise.resolve();

  const payOnce = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    offered = undefined;
    refusal = undefined;
    judged = undefined;
    paying = new URL(input instanceof Request ? input.url : String(input));
    let response: Response;
    try {
      response = await pay(input, init);
    } catch (error) {
      throw refusal ?? error;
    }
    const offer = offered as PaymentRequirements | undefined;
    if (!offer || !response.ok) return response;
    const seller = getAddress(offer.payTo);
    const price = BigInt(offer.amount);
    const { charged, lie }: { charged: bigint; lie?: string } = judged ?? { charged: price };
    if (lie) await store.markUntrusted(seller, lie);
    const channelId = BigInt(computeChannelId(official.buildChannelConfig(offer), network));
    await store.recordCall({ channelId, provider: seller, model: `x402 ${new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url).pathname}`, cost: charged, maxCost: price, spent: charged, at: now() });
    return response;
  };

  return async (input, init) => {
    const run = queue.then(() => payOnce(input, init));
    queue = run.catch(() => undefined);
    return run;
  };
}

import { x402Facilitator } from '@x402/core/facilitator';
import {
  HTTPFacilitatorClient,
  x402HTTPResourceServer,
  x402ResourceServer,
  type FacilitatorClient,
  type HTTPAdapter,
  type HTTPProcessResult,
  type HTTPRequestContext,
  type ProcessSettleResultResponse,
} from '@x402/core/server';
import { decodePaymentSignatureHeader } from '@x402/core/http';
import type { Network, PaymentPayload, PaymentRequirements } from '@x402/core/types';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { BatchSettlementEvmScheme as BatchSettlementFacilitator } from '@x402/evm/batch-settlement/facilitator';
import { BatchSettlementChannelManager, BatchSettlementEvmScheme as BatchSettlementServer } from '@x402/evm/batch-settlement/server';
import { FileChannelStorage } from '@x402/evm/batch-settlement/server/file-storage';
import { ExactEvmScheme as ExactFacilitator } from '@x402/evm/exact/facilitator';
import { ExactEvmScheme as ExactServer } from '@x402/evm/exact/server';
import type { IncomingMessage } from 'node:http';
import { publicActions, walletActions, type Account, type Address, type Chain, type Client, type Transport } from 'viem';
import { maxCost, type MaxCostTerms } from '../../chain/voucher/maxCost.js';
import type { Logger } from '../../core/Logger.js';
import { protocolHeaders } from '../../protocol/protocolHeaders.js';
import { providerPaths } from '../../protocol/providerPaths.js';

/** The route the seller protects. */
export const x402ChatRoute = `POST ${providerPaths.chatCompletions}` as const;

/** x402 settings of a provider. */
export type X402SellerOptions = {
  /** The payment token (an EIP-3009 token: USDx on the devnet, USDC on Base). */
  token: Address;
  /** The token's EIP-712 domain name and version (`exact` and the ERC-3009 deposit sign against it). */
  tokenName: string;
  tokenVersion: string;
  /** Folder of the batch-settlement channel ledger (one JSON file per channel; survives a restart). */
  storageDir: string;
  /** An external facilitator's base URL; absent, the facilitator runs in-process and the provider pays its gas. */
  facilitatorUrl?: string;
  /** Withdraw delay the provider asks channels for (seconds, 900..2,592,000; default one day). */
  withdrawDelay?: number;
  /** Claim vouchers on chain this often (seconds, default 600) and settle right after. */
  claimIntervalSecs?: number;
};

/** Parameters of {@link createX402Seller}. */
export type CreateX402SellerParameters = X402SellerOptions & {
  /** The provider's wallet client: `payTo`, the receiver authorizer, and (in-process) the facilitator's signer. */
  client: Client<Transport, Chain, Account>;
  /** Prices. */
  terms: MaxCostTerms;
  log: Logger;
};

/** What a paid request resolved to. */
export type X402Verified = Extract<HTTPProcessResult, { type: 'payment-verified' }>;

/** Return type of {@link createX402Seller}. */
export type CreateX402SellerReturnType = {
  /** CAIP-2 network (`eip155:<chainId>`). */
  network: Network;
  /** Runs the x402 server over a request whose JSON body was parsed: 402 instructions or a verified payment. */
  process: (req: IncomingMessage, body: Record<string, unknown>) => Promise<HTTPProcessResult>;
  /**
   * Why a payment is refused before anything is verified or submitted (undefined: go on). A
   * batch-settlement channel must name an EOA `payerAuthorizer`: with zero, vouchers are checked by
   * ERC-1271 on the payer, which a contract payer can answer "valid" while served and "invalid" at claim
   * time, then take its deposit back after the withdraw delay (the rule the ComputeMarket keeps too).
   */
  refusal: (req: IncomingMessage) => string | undefined;
  /** Settles a served request: `batch-settlement` charges `cost` (never more than the voucher), `exact` its price. */
  settle: (verified: X402Verified, cost: bigint, req: IncomingMessage, body: Record<string, unknown>) => Promise<ProcessSettleResultResponse>;
  /** Releases a verified payment whose request failed (nothing is charged, the voucher is not committed). */
  cancel: (verified: X402Verified, status: number) => Promise<void>;
  /** Claims every channel's latest charged voucher and settles them to the provider in one go. */
  claimAndSettle: () => Promise<void>;
  /** Starts the claim/settle schedule. */
  start: () => Promise<void>;
  /** Stops the schedule. */
  stop: () => Promise<void>;
};

/** The request as the x402 server reads it. */
function adapterFor(req: IncomingMessage, body: Record<string, unknown>): HTTPAdapter {
  const header = (name: string) => {
    const value = req.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    getHeader: header,
    getMethod: () => req.method ?? 'POST',
    getPath: () => (req.url ?? '/').split('?')[0] ?? '/',
    getUrl: () => `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`,
    getAcceptHeader: () => header('accept') ?? '',
    getUserAgent: () => header('user-agent') ?? '',
    getBody: () => body,
  };
}

function contextFor(req: IncomingMessage, body: Record<string, unknown>): HTTPRequestContext {
  const adapter = adapterFor(req, body);
  const path = adapter.getPath();
  const paymentHeader = adapter.getHeader(protocolHeaders.x402Payment) ?? adapter.getHeader(protocolHeaders.x402PaymentV1);
  return { adapter, path, decodedPath: path, method: adapter.getMethod(), ...(paymentHeader ? { paymentHeader } : {}) };
}

/**
 * The provider's x402 v2 seller: the official `@x402/core` resource server with the `@x402/evm`
 * `batch-settlement` and `exact` schemes on `POST /v1/chat/completions`, each priced at the request's
 * maximum cost (prompt bound at the input price plus `max_tokens` at the output price). Settlement goes
 * through an in-process facilitator signing with the provider's key (it pays its own gas) or an external
 * one by URL. Batch-settlement vouchers are charged the metered cost after the response was produced and
 * claimed in batches by the channel manager (`claimWithSignature`, then `settle`).
 *
 * @param parameters The provider's client, token, prices, ledger folder and facilitator choice.
 * @returns The seller's steps.
 */
export function createX402Seller(parameters: CreateX402SellerParameters): CreateX402SellerReturnType {
  const { client, terms, log, token } = parameters;
  const network = `eip155:${client.chain.id}` as Network;
  const provider = client.account.address;
  const signerClient = client.extend(publicActions).extend(walletActions);
  // viem's generics are narrower than the signer's plain shapes: the adapter is the one place that casts.
  const signerInput: Parameters<typeof toFacilitatorEvmSigner>[0] = {
    address: provider,
    readContract: (args) => signerClient.readContract(args as never),
    verifyTypedData: (args) => signerClient.verifyTypedData(args as never),
    writeContract: (args) => signerClient.writeContract({ ...(args as object), account: client.account, chain: client.chain } as never),
    sendTransaction: (args) => signerClient.sendTransaction({ ...(args as object), account: client.account, chain: client.chain } as never),
    waitForTransactionReceipt: (args) => signerClient.waitForTransactionReceipt(args as never),
    getCode: (args) => signerClient.getCode(args as never),
  } as Parameters<typeof toFacilitatorEvmSigner>[0];
  const evmSigner = toFacilitatorEvmSigner(signerInput);
  const authorizer = {
    address: provider,
    signTypedData: (message: Parameters<Account['signTypedData'] & object>[0]) => client.account.signTypedData!(message as never),
  };
  let facilitatorClient: FacilitatorClient;
  if (parameters.facilitatorUrl) {
    facilitatorClient = new HTTPFacilitatorClient({ url: parameters.facilitatorUrl });
  } else {
    const facilitator = new x402Facilitator()
      .register(network, new ExactFacilitator(evmSigner))
      .register(network, new BatchSettlementFacilitator(evmSigner, authorizer as never));
    facilitatorClient = {
      verify: (payload, requirements) => facilitator.verify(payload, requirements),
      settle: (payload, requirements) => facilitator.settle(payload, requirements),
      getSupported: async () => facilitator.getSupported() as never,
    };
  }
  const batch = new BatchSettlementServer(provider, {
    storage: new FileChannelStorage({ directory: parameters.storageDir }),
    receiverAuthorizerSigner: authorizer as never,
    withdrawDelay: parameters.withdrawDelay ?? 86_400,
  });
  const resourceServer = new x402ResourceServer(facilitatorClient).register(network, batch).register(network, new ExactServer());
  const price = (context: HTTPRequestContext) => {
    const body = (context.adapter.getBody?.() ?? {}) as Record<string, unknown>;
    return {
      asset: token,
      amount: maxCost(body, terms).cost.toString(),
      extra: { name: parameters.tokenName, version: parameters.tokenVersion },
    };
  };
  // The official clients date EIP-3009 authorizations by the wall clock (validBefore = now + maxTimeoutSeconds)
  // while the token checks the chain's clock: on a devnet whose time was moved forward (`y2c up`'s demo
  // history, `y2c warp`) the timeout is widened by how far the chain runs ahead. The lead is read at
  // most once a second (never an RPC per request) and the offer rebuilt when it grew by over a minute
  // (a warp after start, or the demo history landing while the provider started).
  const readSkew = async () => {
    const block = await signerClient.getBlock({ blockTag: 'latest' });
    return Math.max(0, Number(block.timestamp) - Math.floor(Date.now() / 1000));
  };
  let skewRead: { at: number; skew: Promise<number> } | undefined;
  const currentSkew = () => {
    const now = Date.now();
    if (!skewRead || now - skewRead.at >= 1_000) {
      const skew = readSkew();
      // A failed read is retried by the next request, not cached.
      skew.catch(() => {
        if (skewRead?.skew === skew) skewRead = undefined;
      });
      skewRead = { at: now, skew };
    }
    return skewRead.skew;
  };
  const build = async (skew: number) => {
    const maxTimeoutSeconds = 300 + skew;
    const server = new x402HTTPResourceServer(resourceServer, {
      [x402ChatRoute]: {
        accepts: [
          { scheme: 'batch-settlement', network, payTo: provider, price, maxTimeoutSeconds },
          { scheme: 'exact', network, payTo: provider, price, maxTimeoutSeconds },
        ],
        description: 'One chat completion, priced at its maximum cost (prompt bound + max_tokens).',
        mimeType: 'application/json',
      },
    });
    await server.initialize();
    if (skew > 0) log.info('x402 timeout widened by the chain clock', { skewSeconds: skew });
    return server;
  };
  const manager = new BatchSettlementChannelManager({ scheme: batch, facilitator: facilitatorClient, receiver: provider, token, network });
  let built: { skew: number; server: Promise<x402HTTPResourceServer> } | undefined;
  const ready = async () => {
    const skew = await currentSkew();
    if (!built || skew > built.skew + 60) {
      const server = build(skew);
      // A failed build is retried by the next request, not cached.
      server.catch(() => {
        if (built?.server === server) built = undefined;
      });
      built = { skew, server };
    }
    return built.server;
  };

  return {
    network,
    refusal(req) {
      const header = req.headers[protocolHeaders.x402Payment] ?? req.headers[protocolHeaders.x402PaymentV1];
      if (typeof header !== 'string') return undefined;
      let payload: { accepted?: { scheme?: unknown }; payload?: { channelConfig?: { payerAuthorizer?: unknown } } };
      try {
        payload = decodePaymentSignatureHeader(header) as typeof payload;
      } catch {
        return undefined; // malformed: the x402 server refuses it with its own reason
      }
      if (payload.accepted?.scheme !== 'batch-settlement') return undefined;
      const authorizer = payload.payload?.channelConfig?.payerAuthorizer;
      if (typeof authorizer !== 'string' || /^0x0{40}$/i.test(authorizer)) {
        return 'A batch-settlement channel must name an EOA payerAuthorizer (vouchers are taken by ECDSA only, never through ERC-1271).';
      }
      return undefined;
    },
    async process(req, body) {
      return (await ready()).processHTTPRequest(contextFor(req, body));
    },
    async settle(verified, cost, req, body) {
      const isBatch = verified.paymentRequirements.scheme === 'batch-settlement';
      return (await ready()).processSettlement(
        verified.paymentPayload as PaymentPayload,
        verified.paymentRequirements as PaymentRequirements,
        verified.declaredExtensions,
        { request: contextFor(req, body) },
        isBatch ? { amount: cost.toString() } : undefined,
        verified.beforeHandlerSettlement,
      );
    },
    async cancel(verified, status) {
      await verified.cancellationDispatcher.cancel({ reason: 'handler_failed', responseStatus: status });
    },
    async claimAndSettle() {
      await manager.claimAndSettle();
    },
    async start() {
      await ready();
      manager.start({
        claimIntervalSecs: parameters.claimIntervalSecs ?? 600,
        settleIntervalSecs: parameters.claimIntervalSecs ?? 600,
        onClaim: (result) => log.info('x402 claimed', { vouchers: result.vouchers, transaction: result.transaction }),
        onSettle: (result) => log.info('x402 settled', { transaction: result.transaction }),
        onError: (error) => log.error('x402 settlement failed', { error: error instanceof Error ? error.message : String(error) }),
      });
    },
    async stop() {
      await manager.stop();
    },
  };
}

import { toFunctionSelector, type AbiFunction, type Hex } from 'viem';
import { agentAccountAbi } from '../chain/abi/generated/agentAccount.js';
import { agentGovernorAbi } from '../chain/abi/generated/agentGovernor.js';
import { charterAbi } from '../chain/abi/generated/charter.js';
import { agentNftAbi } from '../chain/abi/generated/agentNft.js';
import { computeMarketAbi } from '../chain/abi/generated/computeMarket.js';
import { identityRegistryAbi } from '../chain/abi/generated/identityRegistry.js';
import { reputationRegistryAbi } from '../chain/abi/generated/reputationRegistry.js';
import { susdxAbi } from '../chain/abi/generated/susdx.js';
import { usdxAbi } from '../chain/abi/generated/usdx.js';
import { yieldVaultAbi } from '../chain/abi/generated/yieldVault.js';
import { x402BatchSettlementAbi } from '../chain/abi/generated/x402BatchSettlement.js';

let names: Map<string, string> | undefined;

/**
 * The function a 4-byte selector calls, as its signature (`approve(address,uint256)`), from y2c's
 * own contracts' ABIs; the bare selector when none has it.
 *
 * @param selector A `0x` 4-byte selector.
 * @returns The signature, or the selector.
 * @example functionNameOf('0x095ea7b3') // 'approve(address,uint256)'
 */
export function functionNameOf(selector: Hex): string {
  names ??= new Map(
    [agentAccountAbi, agentGovernorAbi, charterAbi, agentNftAbi, computeMarketAbi, susdxAbi, usdxAbi, yieldVaultAbi, identityRegistryAbi, reputationRegistryAbi, x402BatchSettlementAbi]
      .flatMap((abi) => (abi as readonly { type: string }[]).filter((item): item is AbiFunction => item.type === 'function'))
      .map((item) => {
        const signature = `${item.name}(${item.inputs.map((input) => input.type).join(',')})`;
        return [toFunctionSelector(item), signature] as const;
      }),
  );
  // The policy's "no calldata" selector: a plain ETH transfer (e.g. gas refills to the session key).
  if (/^0x0{8}$/.test(selector)) return 'plain ETH transfer (no calldata)';
  return names.get(selector.toLowerCase()) ?? selector;
}

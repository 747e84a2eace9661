// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ProviderRegistry} from "./market/ProviderRegistry.sol";
import {PaymentChannels} from "./market/PaymentChannels.sol";

/// @title ComputeMarket
/// @notice Compute providers register their terms; payers (agent accounts) buy inference from them over
/// unidirectional payment channels paid by cumulative EIP-712 vouchers `Voucher(uint256 channelId,uint256 authorized)`
/// under the domain (name "ComputeMarket", version "1", chainId, this contract). A channel's signer is an EOA: vouchers
/// are verified by ECDSA only (never ERC-1271), so no signer can revoke a voucher after the provider served it.
/// @dev Composes the provider registry and the payment channels; the only glue is that a channel may be opened only
/// to an active provider.
contract ComputeMarket is ProviderRegistry, PaymentChannels {
    // ------------------------------------------------------------------ constructor

    /// @param token_ The ERC-20 every channel is paid in (a plain token: no fee on transfer, no rebasing).
    /// @param challengePeriod_ Seconds the provider has to redeem after the payer requests to close; 1..365 days.
    constructor(IERC20 token_, uint64 challengePeriod_)
        EIP712("ComputeMarket", "1")
        PaymentChannels(token_, challengePeriod_)
    {}

    // ------------------------------------------------------------------ internal

    /// @dev Channels open only to registered, active providers.
    function _requireActiveProvider(address provider) internal view override(ProviderRegistry, PaymentChannels) {
        ProviderRegistry._requireActiveProvider(provider);
    }
}

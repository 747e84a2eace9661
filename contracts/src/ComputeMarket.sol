// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ProviderRegistry} from "./market/ProviderRegistry.sol";
import {PaymentChannels} from "./market/PaymentChannels.sol";
import {ProviderBonds} from "./market/ProviderBonds.sol";

/// @title ComputeMarket
/// @notice Compute providers register their terms; payers (agent accounts) buy inference from them over
/// unidirectional payment channels paid by cumulative EIP-712 vouchers `Voucher(uint256 channelId,uint256 authorized)`
/// under the domain (name "ComputeMarket", version "1", chainId, this contract). A channel's signer is an EOA: vouchers
/// are verified by ECDSA only (never ERC-1271), so no signer can revoke a voucher after the provider served it.
/// Providers may post a bond in the payment token, slashed to a payer who proves a lie with the provider's signed
/// receipts (see ProviderBonds).
/// @dev Composes the provider registry, the payment channels and the bonds; the glue is that a channel may be opened
/// only to an active provider, and that bonds read channels and are held in the payment token.
contract ComputeMarket is ProviderRegistry, PaymentChannels, ProviderBonds {
    // ------------------------------------------------------------------ constructor

    /// @param token_ The ERC-20 every channel is paid in (a plain token: no fee on transfer, no rebasing).
    /// @param challengePeriod_ Seconds the provider has to redeem after the payer requests to close; 1..365 days.
    constructor(IERC20 token_, uint64 challengePeriod_)
        EIP712("ComputeMarket", "1")
        PaymentChannels(token_, challengePeriod_)
    {}

    // ------------------------------------------------------------------ external

    /// @notice Registers (or re-registers) msg.sender like `registerProvider` and adds `bond` to its bond.
    /// @dev Emits `ProviderRegistered` and `BondDeposited`.
    /// @param endpoint See `registerProvider`.
    /// @param priceInPerMTok See `registerProvider`.
    /// @param priceOutPerMTok See `registerProvider`.
    /// @param models See `registerProvider`.
    /// @param metadata See `registerProvider`.
    /// @param bond Payment-token units (approved to the market), > 0.
    function registerProviderWithBond(
        string calldata endpoint,
        uint128 priceInPerMTok,
        uint128 priceOutPerMTok,
        string[] calldata models,
        string calldata metadata,
        uint256 bond
    ) external nonReentrant {
        registerProvider(endpoint, priceInPerMTok, priceOutPerMTok, models, metadata);
        _depositBond(bond);
    }

    // ------------------------------------------------------------------ internal

    /// @dev Bonds are held in the channels' payment token.
    function _bondToken() internal view override returns (IERC20) {
        return _paymentToken();
    }

    /// @dev Reads a channel for the bonds.
    function _channelParties(uint256 channelId) internal view override returns (address payer, address provider, uint256 redeemed) {
        return _channelView(channelId);
    }

    /// @dev Channels open only to registered, active providers.
    function _requireActiveProvider(address provider) internal view override(ProviderRegistry, PaymentChannels) {
        ProviderRegistry._requireActiveProvider(provider);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IComputeMarket} from "../interfaces/IComputeMarket.sol";

/// @title ProviderRegistry
/// @notice The provider half of the ComputeMarket: who sells compute, at what price, where.
/// @dev Every address that ever registered stays listed in `getProviders`; `active` tells whether new channels
/// may be opened to it. Inputs are bounded so that `getProvider`/`getProviders` stay cheap to read over RPC.
abstract contract ProviderRegistry is IComputeMarket {
    // ------------------------------------------------------------------ errors

    /// @notice The endpoint URL is empty.
    error ComputeMarket_EmptyEndpoint();
    /// @notice A string input (`field`: 0 endpoint, 1 model, 2 metadata) is longer than allowed.
    error ComputeMarket_StringTooLong(uint8 field, uint256 length, uint256 maxLength);
    /// @notice More models than allowed.
    error ComputeMarket_TooManyModels(uint256 count, uint256 maxCount);
    /// @notice The model name at `index` is empty.
    error ComputeMarket_EmptyModel(uint256 index);
    /// @notice `provider` never registered.
    error ComputeMarket_NotRegistered(address provider);
    /// @notice `provider` is not (or no longer) active.
    error ComputeMarket_ProviderNotActive(address provider);

    // ------------------------------------------------------------------ storage

    /// @notice Longest endpoint URL, in bytes.
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;
    /// @notice Longest model name, in bytes.
    uint256 public constant MAX_MODEL_LENGTH = 128;
    /// @notice Most models one provider may list.
    uint256 public constant MAX_MODELS = 32;
    /// @notice Longest metadata string, in bytes.
    uint256 public constant MAX_METADATA_LENGTH = 1024;

    mapping(address provider => Provider) private _providers;
    address[] private _providerList;

    // ------------------------------------------------------------------ external

    /// @notice Registers msg.sender as a provider, or re-activates it (or replaces its terms) if it registered before.
    /// @dev Idempotent so that a provider node can call it on every start. Emits `ProviderRegistered`.
    /// @param endpoint Base URL of the OpenAI-compatible server; non-empty, at most `MAX_ENDPOINT_LENGTH` bytes.
    /// @param priceInPerMTok Payment-token units per million prompt tokens.
    /// @param priceOutPerMTok Payment-token units per million completion tokens.
    /// @param models Model ids served; at most `MAX_MODELS`, each non-empty and at most `MAX_MODEL_LENGTH` bytes.
    /// @param metadata Free-form (e.g. JSON) description; at most `MAX_METADATA_LENGTH` bytes.
    function registerProvider(
        string calldata endpoint,
        uint128 priceInPerMTok,
        uint128 priceOutPerMTok,
        string[] calldata models,
        string calldata metadata
    ) public {
        Provider storage p = _providers[msg.sender];
        if (bytes(p.endpoint).length == 0) _providerList.push(msg.sender);
        _setTerms(p, endpoint, priceInPerMTok, priceOutPerMTok, models, metadata);
        p.active = true;
        emit ProviderRegistered(msg.sender, endpoint, priceInPerMTok, priceOutPerMTok);
    }

    /// @notice Replaces msg.sender's terms; does not change whether it is active.
    /// @dev Reverts with `ComputeMarket_NotRegistered` if msg.sender never registered. Emits `ProviderUpdated`.
    /// @param endpoint See `registerProvider`.
    /// @param priceInPerMTok See `registerProvider`.
    /// @param priceOutPerMTok See `registerProvider`.
    /// @param models See `registerProvider`.
    /// @param metadata See `registerProvider`.
    function updateProvider(
        string calldata endpoint,
        uint128 priceInPerMTok,
        uint128 priceOutPerMTok,
        string[] calldata models,
        string calldata metadata
    ) external {
        Provider storage p = _providers[msg.sender];
        if (bytes(p.endpoint).length == 0) revert ComputeMarket_NotRegistered(msg.sender);
        _setTerms(p, endpoint, priceInPerMTok, priceOutPerMTok, models, metadata);
        emit ProviderUpdated(msg.sender, endpoint, priceInPerMTok, priceOutPerMTok);
    }

    /// @notice Marks msg.sender inactive: no new channel can be opened to it. Its open channels keep working
    /// (redeem, close) until closed. `registerProvider` re-activates it.
    /// @dev Reverts with `ComputeMarket_ProviderNotActive` if msg.sender is not active. Emits `ProviderDeregistered`.
    function deregisterProvider() external {
        Provider storage p = _providers[msg.sender];
        if (!p.active) revert ComputeMarket_ProviderNotActive(msg.sender);
        p.active = false;
        emit ProviderDeregistered(msg.sender);
    }

    /// @notice A provider's terms; all fields zero/empty if it never registered.
    /// @param provider The provider's address.
    /// @return The provider's endpoint, prices, models, metadata and whether it is active.
    function getProvider(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// @notice Every address that ever registered, in registration order (check `active` with `getProvider`).
    /// @return The provider addresses.
    function getProviders() external view returns (address[] memory) {
        return _providerList;
    }

    // ------------------------------------------------------------------ internal

    /// @dev Reverts unless `provider` is registered and active.
    function _requireActiveProvider(address provider) internal view virtual {
        if (!_providers[provider].active) revert ComputeMarket_ProviderNotActive(provider);
    }

    /// @dev Validates and stores a provider's terms.
    function _setTerms(
        Provider storage p,
        string calldata endpoint,
        uint128 priceInPerMTok,
        uint128 priceOutPerMTok,
        string[] calldata models,
        string calldata metadata
    ) private {
        if (bytes(endpoint).length == 0) revert ComputeMarket_EmptyEndpoint();
        if (bytes(endpoint).length > MAX_ENDPOINT_LENGTH) {
            revert ComputeMarket_StringTooLong(0, bytes(endpoint).length, MAX_ENDPOINT_LENGTH);
        }
        if (bytes(metadata).length > MAX_METADATA_LENGTH) {
            revert ComputeMarket_StringTooLong(2, bytes(metadata).length, MAX_METADATA_LENGTH);
        }
        uint256 count = models.length;
        if (count > MAX_MODELS) revert ComputeMarket_TooManyModels(count, MAX_MODELS);

        p.endpoint = endpoint;
        p.priceInPerMTok = priceInPerMTok;
        p.priceOutPerMTok = priceOutPerMTok;
        p.metadata = metadata;
        // Copying a calldata string[] to storage is unsupported by the legacy code generator: rebuild it.
        delete p.models;
        for (uint256 i; i < count; ++i) {
            uint256 length = bytes(models[i]).length;
            if (length == 0) revert ComputeMarket_EmptyModel(i);
            if (length > MAX_MODEL_LENGTH) revert ComputeMarket_StringTooLong(1, length, MAX_MODEL_LENGTH);
            p.models.push(models[i]);
        }
    }
}

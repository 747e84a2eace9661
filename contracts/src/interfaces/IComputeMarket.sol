// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IComputeMarket
/// @notice Registry of compute providers and unidirectional payment channels paid by EIP-712 vouchers.
/// @dev A voucher is the EIP-712 struct `Voucher(uint256 channelId,uint256 authorized)` under the domain
/// (name "ComputeMarket", version "1", chainId, verifyingContract). `authorized` is cumulative: the
/// total the payer's signer allows the provider to take from the channel over its whole life.
/// `amount` in redeem is likewise cumulative (the total redeemed after the call), so replaying a
/// voucher or redeeming a stale one transfers nothing and reverts.
interface IComputeMarket {
    /// @notice What a provider sells and where.
    struct Provider {
        string endpoint;
        uint128 priceInPerMTok; // payment-token units per million prompt tokens
        uint128 priceOutPerMTok; // payment-token units per million completion tokens
        string[] models;
        string metadata;
        bool active;
    }

    /// @notice A payment channel from a payer to a provider.
    struct Channel {
        address payer;
        address provider;
        address signer; // key whose vouchers the provider may redeem
        uint128 deposit; // total escrowed over the channel's life
        uint128 redeemed; // total already paid to the provider
        uint64 closesAt; // 0 while open; otherwise the end of the challenge window
        bool closed; // finalized or cooperatively closed
    }

    /// @notice One redemption in a batch.
    struct Redemption {
        uint256 channelId;
        uint256 amount; // cumulative total redeemed after this call, <= authorized
        uint256 authorized;
        bytes signature;
    }

    event ProviderRegistered(address indexed provider, string endpoint, uint128 priceInPerMTok, uint128 priceOutPerMTok);
    event ProviderUpdated(address indexed provider, string endpoint, uint128 priceInPerMTok, uint128 priceOutPerMTok);
    event ProviderDeregistered(address indexed provider);
    event ChannelOpened(
        uint256 indexed channelId, address indexed payer, address indexed provider, address signer, uint256 deposit
    );
    event ChannelToppedUp(uint256 indexed channelId, uint256 amount, uint256 deposit);
    event Redeemed(uint256 indexed channelId, address indexed provider, uint256 paid, uint256 totalRedeemed);
    event CloseRequested(uint256 indexed channelId, uint64 closesAt);
    event ChannelClosed(uint256 indexed channelId, uint256 refunded, uint256 totalRedeemed);

    /// @notice The ERC-20 every channel is paid in.
    function token() external view returns (address);
    /// @notice Seconds between `requestClose` and `finalize`, during which the provider may still redeem.
    function challengePeriod() external view returns (uint64);
    /// @notice The EIP-712 digest of `Voucher(channelId, authorized)` for this market and chain.
    function voucherDigest(uint256 channelId, uint256 authorized) external view returns (bytes32);

    /// @notice Registers msg.sender as a provider (or re-activates it with new terms).
    function registerProvider(
        string calldata endpoint,
        uint128 priceInPerMTok,
        uint128 priceOutPerMTok,
        string[] calldata models,
        string calldata metadata
    ) external;
    /// @notice Changes msg.sender's terms. Reverts if not registered.
    function updateProvider(
        string calldata endpoint,
        uint128 priceInPerMTok,
        uint128 priceOutPerMTok,
        string[] calldata models,
        string calldata metadata
    ) external;
    /// @notice Marks msg.sender inactive; open channels keep working until closed.
    function deregisterProvider() external;
    /// @notice A provider's terms.
    function getProvider(address provider) external view returns (Provider memory);
    /// @notice Every address that ever registered (check `active`).
    function getProviders() external view returns (address[] memory);

    /// @notice Escrows `amount` of `token` from msg.sender into a new channel to an active provider.
    /// @return channelId The new channel's id (ids start at 1).
    function open(address provider, address signer, uint256 amount) external returns (uint256 channelId);
    /// @notice Adds `amount` to an open channel's deposit; payer only. Cancels a pending close request.
    function topUp(uint256 channelId, uint256 amount) external;
    /// @notice Provider takes `amount - redeemed` where `amount <= authorized <= deposit` is signed by the channel's signer.
    function redeem(uint256 channelId, uint256 amount, uint256 authorized, bytes calldata signature) external;
    /// @notice `redeem` for many channels of msg.sender in one transaction, one token transfer in all.
    function redeemMany(Redemption[] calldata redemptions) external;
    /// @notice Payer starts the challenge window.
    function requestClose(uint256 channelId) external;
    /// @notice After the window, refunds the unredeemed deposit to the payer. Anyone may call.
    function finalize(uint256 channelId) external;
    /// @notice Provider closes at once: redeems `amount` (0 with an empty signature for nothing) and refunds the rest.
    function closeCooperatively(uint256 channelId, uint256 amount, uint256 authorized, bytes calldata signature) external;
    /// @notice A channel's state.
    function getChannel(uint256 channelId) external view returns (Channel memory);
    /// @notice Number of channels ever opened (the highest id).
    function channelCount() external view returns (uint256);
}

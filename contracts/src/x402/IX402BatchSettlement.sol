// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IX402BatchSettlement
/// @notice The x402 v2 `batch-settlement` escrow as the official x402 EVM package (client and facilitator) calls it
/// (ABI: `batchSettlementABI` of the official x402 EVM package; EIP-712 domain {"x402 Batch Settlement", "1"}).
/// @dev A channel is identified by the EIP-712 hash of its `ChannelConfig`, so its terms cannot change. The payer
/// deposits; the payer's authorizer (an EOA, or the payer itself through ERC-1271 when zero) signs running-total
/// `Voucher(channelId, maxClaimableAmount)`s; the receiver's authorizer MUST approve every claim (by calling
/// `claim` or by signing a `ClaimBatch`); `settle` pays a receiver everything claimed for a token. A payer leaves
/// by `initiateWithdraw` then `finalizeWithdraw` after the channel's `withdrawDelay`, during which the receiver may
/// still claim; the receiver side may refund cooperatively at any time.
interface IX402BatchSettlement {
    /// @notice The immutable terms of a channel.
    struct ChannelConfig {
        address payer;
        address payerAuthorizer;
        address receiver;
        address receiverAuthorizer;
        address token;
        uint40 withdrawDelay;
        bytes32 salt;
    }

    /// @notice A payer's running-total authorization over a channel.
    struct Voucher {
        ChannelConfig channel;
        uint128 maxClaimableAmount;
    }

    /// @notice One claim: a signed voucher and the running total claimed with it (at most the voucher's).
    struct VoucherClaim {
        Voucher voucher;
        bytes signature;
        uint128 totalClaimed;
    }

    /// @notice `amount` was deposited into `channelId` through `collector` (zero: pulled from the caller).
    event Deposited(bytes32 indexed channelId, address indexed payer, address indexed collector, uint128 amount);
    /// @notice `amount` more was claimed from `channelId` by its receiver, reaching `totalClaimed`.
    event Claimed(bytes32 indexed channelId, address indexed receiver, uint128 amount, uint128 totalClaimed);
    /// @notice `amount` of `token` claimed by `receiver` was paid out; `sender` submitted it.
    event Settled(address indexed receiver, address indexed token, address indexed sender, uint128 amount);
    /// @notice `amount` of `channelId`'s unclaimed balance went back to its payer by the receiver side.
    event Refunded(bytes32 indexed channelId, address indexed payer, uint128 amount, uint256 nonce);
    /// @notice The payer asked to withdraw `amount` from `channelId` after the withdraw delay.
    event WithdrawInitiated(bytes32 indexed channelId, address indexed payer, uint128 amount, uint40 initiatedAt);
    /// @notice `amount` went back to the payer of `channelId` after the withdraw delay.
    event Withdrawn(bytes32 indexed channelId, address indexed payer, uint128 amount);

    /// @notice Deposits `amount` of `config.token` into the channel of `config`.
    /// @param config The channel's terms.
    /// @param amount How much to add.
    /// @param collector A deposit collector that moves the payer's tokens here (ERC-3009 or Permit2), or zero to
    /// pull `amount` from the caller with `transferFrom`.
    /// @param collectorData What the collector needs (e.g. the ERC-3009 authorization).
    function deposit(ChannelConfig calldata config, uint128 amount, address collector, bytes calldata collectorData)
        external;

    /// @notice Claims vouchers; the caller MUST be each channel's receiver authorizer.
    /// @param voucherClaims The claims.
    function claim(VoucherClaim[] calldata voucherClaims) external;

    /// @notice Claims vouchers approved by the receiver authorizers' EIP-712 `ClaimBatch` signature; anyone submits.
    /// @param voucherClaims The claims.
    /// @param authorizerSignature The receiver authorizer's signature over the batch.
    function claimWithSignature(VoucherClaim[] calldata voucherClaims, bytes calldata authorizerSignature) external;

    /// @notice Pays `receiver` every `token` it claimed and was not yet paid; anyone may call.
    /// @param receiver The receiver.
    /// @param token The token.
    function settle(address receiver, address token) external;

    /// @notice Starts the payer's exit of `amount`; only the payer.
    /// @param config The channel's terms.
    /// @param amount How much to withdraw once the delay has passed.
    function initiateWithdraw(ChannelConfig calldata config, uint128 amount) external;

    /// @notice Ends the payer's exit after the withdraw delay: pays the payer up to the unclaimed balance.
    /// @param config The channel's terms.
    function finalizeWithdraw(ChannelConfig calldata config) external;

    /// @notice Refunds up to `amount` of the unclaimed balance to the payer; only the receiver or its authorizer.
    /// @param config The channel's terms.
    /// @param amount The most to refund.
    function refund(ChannelConfig calldata config, uint128 amount) external;

    /// @notice Refunds with the receiver authorizer's EIP-712 `Refund(channelId, nonce, amount)`; anyone submits.
    /// @param config The channel's terms.
    /// @param amount The most to refund.
    /// @param nonce The channel's current refund nonce.
    /// @param receiverAuthorizerSignature The receiver authorizer's signature.
    function refundWithSignature(
        ChannelConfig calldata config,
        uint128 amount,
        uint256 nonce,
        bytes calldata receiverAuthorizerSignature
    ) external;

    /// @notice The id of the channel with terms `config` (its EIP-712 hash).
    /// @param config The channel's terms.
    /// @return The channel id.
    function getChannelId(ChannelConfig calldata config) external view returns (bytes32);

    /// @notice A channel's deposited balance (claims included) and running total claimed.
    /// @param channelId The channel.
    /// @return balance Deposits minus refunds and withdrawals.
    /// @return totalClaimed Claimed so far (never above `balance`).
    function channels(bytes32 channelId) external view returns (uint128 balance, uint128 totalClaimed);

    /// @notice A channel's pending withdrawal.
    /// @param channelId The channel.
    /// @return amount The amount asked.
    /// @return initiatedAt When it was asked (0: none).
    function pendingWithdrawals(bytes32 channelId) external view returns (uint128 amount, uint40 initiatedAt);

    /// @notice What a receiver claimed and was paid, per token.
    /// @param receiver The receiver.
    /// @param token The token.
    /// @return totalClaimed Claimed so far.
    /// @return totalSettled Paid out so far.
    function receivers(address receiver, address token)
        external
        view
        returns (uint128 totalClaimed, uint128 totalSettled);

    /// @notice The refund nonce a `refundWithSignature` on `channelId` must carry now.
    /// @param channelId The channel.
    /// @return The nonce.
    function refundNonce(bytes32 channelId) external view returns (uint256);

    /// @notice The EIP-712 digest of `Voucher(channelId, maxClaimableAmount)`.
    /// @param channelId The channel.
    /// @param maxClaimableAmount The running total.
    /// @return The digest.
    function getVoucherDigest(bytes32 channelId, uint128 maxClaimableAmount) external view returns (bytes32);

    /// @notice The EIP-712 digest of `Refund(channelId, nonce, amount)`.
    /// @param channelId The channel.
    /// @param nonce The refund nonce.
    /// @param amount The amount.
    /// @return The digest.
    function getRefundDigest(bytes32 channelId, uint256 nonce, uint128 amount) external view returns (bytes32);

    /// @notice The EIP-712 digest of the `ClaimBatch` of `voucherClaims`.
    /// @param voucherClaims The claims.
    /// @return The digest.
    function getClaimBatchDigest(VoucherClaim[] calldata voucherClaims) external view returns (bytes32);
}

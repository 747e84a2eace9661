// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IDepositCollector
/// @notice A strategy the batch-settlement escrow calls inside `deposit` to move a payer's tokens to it, with an
/// authorization the payer signed off chain (ERC-3009, Permit2). The escrow credits only what it received.
interface IDepositCollector {
    /// @notice Moves `amount` of `token` from `payer` to the escrow (the caller), for channel `channelId`.
    /// @dev MUST be callable only by the escrow and MUST bind the authorization to `channelId`.
    /// @param payer The channel's payer.
    /// @param token The channel's token.
    /// @param amount How much.
    /// @param channelId The channel being funded.
    /// @param data The collector-specific authorization.
    function collect(address payer, address token, uint256 amount, bytes32 channelId, bytes calldata data) external;
}

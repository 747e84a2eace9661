// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ITokenTransferReporter
/// @notice A token contract that calls `ITokenTransferHook.onTokenTransfer` on a token bound account on
/// EVERY transfer of the bound token (mint and burn included). An account whose token contract says so
/// can prove from its own storage that its owner has not changed (its owner epoch did not move), with no
/// call to `ownerOf`.
interface ITokenTransferReporter {
    /// @notice Whether every transfer of `tokenId` is reported to `account`.
    /// @param tokenId The token.
    /// @param account The token bound account asking.
    /// @return True if `account.onTokenTransfer()` is called on every transfer of `tokenId`.
    function reportsTransfersTo(uint256 tokenId, address account) external view returns (bool);
}

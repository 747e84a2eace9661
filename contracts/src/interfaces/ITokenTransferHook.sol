// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ITokenTransferHook
/// @notice A token bound account that its token contract tells about transfers of the bound token, so
/// that the account can bind state to the holder without reading other contracts (ERC-7562).
interface ITokenTransferHook {
    /// @notice The bound token changed hands; the bound token contract only.
    function onTokenTransfer() external;
}

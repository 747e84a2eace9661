// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Multicall3
/// @notice The read-batching subset of Multicall3 that viem and the x402 facilitator call (`aggregate`,
/// `tryAggregate`, `aggregate3`, block getters), written for the devnet and placed at the canonical
/// 0xcA11bde05977b3631167028862bE2a173976CA11. No value forwarding: nothing here holds or moves ETH.
contract Multicall3 {
    /// @notice A call to make.
    struct Call {
        address target;
        bytes callData;
    }

    /// @notice A call that may fail when `allowFailure`.
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    /// @notice A call's outcome.
    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice `index` failed and failure was not allowed.
    error Multicall3_CallFailed(uint256 index);

    /// @notice Makes every call; reverts if one fails.
    /// @param calls The calls.
    /// @return blockNumber The current block.
    /// @return returnData Each call's return data.
    function aggregate(Call[] calldata calls) external returns (uint256 blockNumber, bytes[] memory returnData) {
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (!ok) revert Multicall3_CallFailed(i);
            returnData[i] = ret;
        }
        return (block.number, returnData);
    }

    /// @notice Makes every call; reverts on a failure only if `requireSuccess`.
    /// @param requireSuccess Whether one failure fails all.
    /// @param calls The calls.
    /// @return returnData Each call's outcome.
    function tryAggregate(bool requireSuccess, Call[] calldata calls) external returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (requireSuccess && !ok) revert Multicall3_CallFailed(i);
            returnData[i] = Result(ok, ret);
        }
    }

    /// @notice Makes every call; a failure reverts all unless that call allows failure.
    /// @param calls The calls.
    /// @return returnData Each call's outcome.
    function aggregate3(Call3[] calldata calls) external returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool ok, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (!calls[i].allowFailure && !ok) revert Multicall3_CallFailed(i);
            returnData[i] = Result(ok, ret);
        }
    }

    /// @notice The current block number.
    /// @return blockNumber The block number.
    function getBlockNumber() external view returns (uint256 blockNumber) {
        return block.number;
    }

    /// @notice The current block timestamp.
    /// @return timestamp The timestamp.
    function getCurrentBlockTimestamp() external view returns (uint256 timestamp) {
        return block.timestamp;
    }

    /// @notice The chain id.
    /// @return chainid The chain id.
    function getChainId() external view returns (uint256 chainid) {
        return block.chainid;
    }

    /// @notice `addr`'s ETH balance.
    /// @param addr The account.
    /// @return balance Its balance.
    function getEthBalance(address addr) external view returns (uint256 balance) {
        return addr.balance;
    }
}

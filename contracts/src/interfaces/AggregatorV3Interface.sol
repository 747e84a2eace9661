// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title AggregatorV3Interface
/// @notice Chainlink's price feed interface (as in `@chainlink/contracts`), so the converter reads a
/// devnet feed of ours and a real Chainlink feed the same way.
interface AggregatorV3Interface {
    /// @notice Decimals of `answer`.
    function decimals() external view returns (uint8);
    /// @notice What the feed prices, e.g. "ETH / USD".
    function description() external view returns (string memory);
    /// @notice The aggregator's version.
    function version() external view returns (uint256);
    /// @notice One round's data; reverts (or returns zeros) for an unknown round.
    function getRoundData(uint80 roundId)
        external
        view
        returns (uint80 roundId_, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
    /// @notice The latest round's data. Consumers MUST check `updatedAt` for staleness and `answer > 0`.
    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
}

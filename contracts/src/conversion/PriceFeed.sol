// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";

/// @title PriceFeed
/// @notice A Chainlink-style price feed the devnet owns (`y2c price set`): every `setPrice` starts a
/// new round answered at once. Real networks use Chainlink's feed through the same interface.
contract PriceFeed is AggregatorV3Interface, Ownable {
    // ------------------------------------------------------------------ errors

    /// @notice A price must be positive.
    error PriceFeed_NonPositivePrice(int256 answer);
    /// @notice `roundId` has no data.
    error PriceFeed_NoRound(uint80 roundId);

    // ------------------------------------------------------------------ events

    /// @notice Chainlink's event for a new answer.
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    // ------------------------------------------------------------------ storage

    struct Round {
        int192 answer;
        uint64 updatedAt;
    }

    uint8 private immutable _decimals;
    string private _description;
    uint80 private _latest;
    mapping(uint80 roundId => Round) private _rounds;

    // ------------------------------------------------------------------ constructor

    /// @param decimals_ Decimals of the answer (Chainlink's USD feeds use 8).
    /// @param description_ E.g. "ETH / USD".
    /// @param initialAnswer First price (round 1), positive.
    /// @param owner_ Who may set prices.
    constructor(uint8 decimals_, string memory description_, int256 initialAnswer, address owner_) Ownable(owner_) {
        _decimals = decimals_;
        _description = description_;
        _setPrice(initialAnswer);
    }

    // ------------------------------------------------------------------ external

    /// @notice Starts a new round answered with `answer` now; only the owner.
    /// @param answer The price, positive, with `decimals()` decimals.
    function setPrice(int256 answer) external onlyOwner {
        _setPrice(answer);
    }

    /// @inheritdoc AggregatorV3Interface
    function decimals() external view returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc AggregatorV3Interface
    function description() external view returns (string memory) {
        return _description;
    }

    /// @inheritdoc AggregatorV3Interface
    function version() external pure returns (uint256) {
        return 4;
    }

    /// @inheritdoc AggregatorV3Interface
    function getRoundData(uint80 roundId) external view returns (uint80, int256, uint256, uint256, uint80) {
        Round memory round = _rounds[roundId];
        if (round.updatedAt == 0) revert PriceFeed_NoRound(roundId);
        return (roundId, round.answer, round.updatedAt, round.updatedAt, roundId);
    }

    /// @inheritdoc AggregatorV3Interface
    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        uint80 id = _latest;
        Round memory round = _rounds[id];
        return (id, round.answer, round.updatedAt, round.updatedAt, id);
    }

    // ------------------------------------------------------------------ internal

    function _setPrice(int256 answer) internal {
        if (answer <= 0 || answer > type(int192).max) revert PriceFeed_NonPositivePrice(answer);
        uint80 id = _latest + 1;
        _latest = id;
        // casting to 'int192' is safe because 0 < answer <= type(int192).max, checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        _rounds[id] = Round(int192(answer), uint64(block.timestamp));
        emit AnswerUpdated(answer, id, block.timestamp);
    }
}

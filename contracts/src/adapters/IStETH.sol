// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice What the wstETH adapter reads and calls on Lido's stETH (a rebasing ERC-20 over shares:
/// `balanceOf = shares * totalPooledEther / totalShares`, rounded down; a transfer of an amount
/// moves `getSharesByPooledEth(amount)` shares, rounded down, so balances move 1-2 wei less).
interface IStETH is IERC20 {
    function sharesOf(address account) external view returns (uint256);
    function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);
    function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);
    function getTotalPooledEther() external view returns (uint256);
    function getTotalShares() external view returns (uint256);
    function transferShares(address recipient, uint256 sharesAmount) external returns (uint256);
}

/// @notice What the adapter calls on Lido's wstETH: one wstETH is one stETH share.
interface IWstETH is IERC20 {
    function wrap(uint256 stETHAmount) external returns (uint256);
    function unwrap(uint256 wstETHAmount) external returns (uint256);
    function stEthPerToken() external view returns (uint256);
    function stETH() external view returns (address);
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @dev Lido stETH's accounting, reproduced: balances are shares valued at
/// `totalPooledEther / totalShares`, rounded down; `transfer(amount)` moves
/// `getSharesByPooledEth(amount)` shares (rounded down), so the receiver's balance may rise 1-2 wei
/// less than `amount` (Lido's documented corner case); the sender's share count, not its balance,
/// bounds a transfer. Rewards (`rebase`) raise every balance at once.
contract StETHLike {
    error StETHLike_BalanceExceeded(uint256 shares, uint256 held);
    error StETHLike_AllowanceExceeded(uint256 amount, uint256 allowed);

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);

    string public constant name = "Liquid staked Ether 2.0 (local)";
    string public constant symbol = "stETH";
    uint8 public constant decimals = 18;

    mapping(address => uint256) private _shares;
    mapping(address => mapping(address => uint256)) private _allowances;
    uint256 private _totalShares;
    uint256 private _totalPooledEther;

    /// @dev Stakes ether: mints shares at the current rate (1:1 for the first).
    function submit(address) external payable returns (uint256 shares) {
        shares = _totalShares == 0 ? msg.value : getSharesByPooledEth(msg.value);
        _shares[msg.sender] += shares;
        _totalShares += shares;
        _totalPooledEther += msg.value;
        emit Transfer(address(0), msg.sender, msg.value);
    }

    /// @dev The oracle report: rewards (or, negative, a slashing) change every balance.
    function rebase(int256 delta) external {
        _totalPooledEther = uint256(int256(_totalPooledEther) + delta);
    }

    function totalSupply() external view returns (uint256) {
        return _totalPooledEther;
    }

    function getTotalPooledEther() external view returns (uint256) {
        return _totalPooledEther;
    }

    function getTotalShares() external view returns (uint256) {
        return _totalShares;
    }

    function sharesOf(address account) external view returns (uint256) {
        return _shares[account];
    }

    function balanceOf(address account) external view returns (uint256) {
        return getPooledEthByShares(_shares[account]);
    }

    function getSharesByPooledEth(uint256 ethAmount) public view returns (uint256) {
        return ethAmount * _totalShares / _totalPooledEther;
    }

    function getPooledEthByShares(uint256 sharesAmount) public view returns (uint256) {
        return sharesAmount * _totalPooledEther / _totalShares;
    }

    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _transferShares(msg.sender, to, getSharesByPooledEth(amount));
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spend(from, amount);
        _transferShares(from, to, getSharesByPooledEth(amount));
        emit Transfer(from, to, amount);
        return true;
    }

    function transferShares(address to, uint256 sharesAmount) external returns (uint256 amount) {
        _transferShares(msg.sender, to, sharesAmount);
        amount = getPooledEthByShares(sharesAmount);
        emit Transfer(msg.sender, to, amount);
    }

    function _spend(address owner, uint256 amount) internal {
        uint256 allowed = _allowances[owner][msg.sender];
        if (allowed == type(uint256).max) return;
        if (amount > allowed) revert StETHLike_AllowanceExceeded(amount, allowed);
        _allowances[owner][msg.sender] = allowed - amount;
    }

    function _transferShares(address from, address to, uint256 sharesAmount) internal {
        uint256 held = _shares[from];
        if (sharesAmount > held) revert StETHLike_BalanceExceeded(sharesAmount, held);
        _shares[from] = held - sharesAmount;
        _shares[to] += sharesAmount;
        emit TransferShares(from, to, sharesAmount);
    }
}

/// @dev Lido's wstETH, reproduced: one wstETH per stETH share; `wrap` takes stETH by amount,
/// `unwrap` pays `getPooledEthByShares(n)` stETH by amount (so one share may be lost to rounding);
/// `stEthPerToken()` is its value. Not ERC-4626.
contract WstETHLike is ERC20 {
    StETHLike public immutable stETH;

    constructor(StETHLike steth) ERC20("Wrapped liquid staked Ether 2.0 (local)", "wstETH") {
        stETH = steth;
    }

    function wrap(uint256 stETHAmount) external returns (uint256 wstETHAmount) {
        wstETHAmount = stETH.getSharesByPooledEth(stETHAmount);
        _mint(msg.sender, wstETHAmount);
        stETH.transferFrom(msg.sender, address(this), stETHAmount);
    }

    function unwrap(uint256 wstETHAmount) external returns (uint256 stETHAmount) {
        stETHAmount = stETH.getPooledEthByShares(wstETHAmount);
        _burn(msg.sender, wstETHAmount);
        stETH.transfer(msg.sender, stETHAmount);
    }

    function stEthPerToken() external view returns (uint256) {
        return stETH.getPooledEthByShares(1 ether);
    }

    function getStETHByWstETH(uint256 wstETHAmount) external view returns (uint256) {
        return stETH.getPooledEthByShares(wstETHAmount);
    }

    function getWstETHByStETH(uint256 stETHAmount) external view returns (uint256) {
        return stETH.getSharesByPooledEth(stETHAmount);
    }
}


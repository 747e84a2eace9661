// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @dev Morpho Vault V2's quirk: every `max*` returns 0 (it does not compute limits on chain), yet
/// deposit, mint, withdraw and redeem work within the real limits.
contract MorphoV2LikeSource is ERC4626 {
    constructor(IERC20 asset_) ERC20("Morpho V2-like", "mV2") ERC4626(asset_) {}

    function maxDeposit(address) public pure override returns (uint256) {
        return 0;
    }

    function maxMint(address) public pure override returns (uint256) {
        return 0;
    }

    function maxWithdraw(address) public pure override returns (uint256) {
        return 0;
    }

    function maxRedeem(address) public pure override returns (uint256) {
        return 0;
    }

    function deposit(uint256 assets, address receiver) public override returns (uint256 shares) {
        shares = previewDeposit(assets);
        _deposit(msg.sender, receiver, assets, shares);
    }

    function mint(uint256 shares, address receiver) public override returns (uint256 assets) {
        assets = previewMint(shares);
        _deposit(msg.sender, receiver, assets, shares);
    }

    function withdraw(uint256 assets, address receiver, address owner_) public override returns (uint256 shares) {
        shares = previewWithdraw(assets);
        _withdraw(msg.sender, receiver, owner_, assets, shares);
    }

    function redeem(uint256 shares, address receiver, address owner_) public override returns (uint256 assets) {
        assets = previewRedeem(shares);
        _withdraw(msg.sender, receiver, owner_, assets, shares);
    }
}

/// @dev Aave's static aToken (stata) quirks: withdrawals are limited by the pool's available
/// liquidity (borrowers may hold it all: `maxWithdraw` drops and `withdraw` reverts), deposits by a
/// supply cap; rewards accrue outside the exchange rate (claimed separately, never in totalAssets).
contract StataLikeSource is ERC4626 {
    error StataLike_InsufficientLiquidity(uint256 asked, uint256 available);
    error StataLike_SupplyCapExceeded(uint256 asked, uint256 room);

    uint256 public borrowed;
    uint256 public supplyCap = type(uint256).max;

    constructor(IERC20 asset_) ERC20("Stata-like", "stataX") ERC4626(asset_) {}

    /// @dev Borrowers take `amount` of the liquidity (it stays owed: totalAssets unchanged).
    function borrow(uint256 amount) external {
        borrowed += amount;
    }

    function repay(uint256 amount) external {
        borrowed -= amount;
    }

    function setSupplyCap(uint256 cap) external {
        supplyCap = cap;
    }

    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this));
    }

    function _available() internal view returns (uint256) {
        uint256 held = totalAssets();
        return held > borrowed ? held - borrowed : 0;
    }

    function maxDeposit(address) public view override returns (uint256) {
        uint256 held = totalAssets();
        return supplyCap > held ? supplyCap - held : 0;
    }

    function maxWithdraw(address owner_) public view override returns (uint256) {
        uint256 own = previewRedeem(balanceOf(owner_));
        uint256 available = _available();
        return own < available ? own : available;
    }

    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        uint256 room = maxDeposit(receiver);
        if (assets > room) revert StataLike_SupplyCapExceeded(assets, room);
        super._deposit(caller, receiver, assets, shares);
    }

    function _withdraw(address caller, address receiver, address owner_, uint256 assets, uint256 shares)
        internal
        override
    {
        uint256 available = _available();
        if (assets > available) revert StataLike_InsufficientLiquidity(assets, available);
        super._withdraw(caller, receiver, owner_, assets, shares);
    }
}

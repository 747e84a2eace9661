// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title YieldTokenAdapter
/// @notice Presents ERC-4626 over a yield-bearing token that is not ERC-4626 (wstETH, sUSDS on
/// Base): the adapter holds the yield token and issues one share per unit of it, so a share's
/// value is the yield token's value, read from its own rate (never from balances: no donation or
/// first-depositor attack moves it). The vault talks to it as to any ERC-4626 source.
/// @dev The concrete adapter converts in and out through the yield token's own path and reports
/// previews that include that path's rounding, always in the adapter's favour: `previewDeposit`
/// and `previewRedeem` never above what the call gives, `previewMint` and `previewWithdraw` never
/// below what it takes. `convertTo*` are the rounding-free rate (caller-independent). When the path
/// has less liquidity than asked, `withdraw`/`redeem` revert with `YieldTokenAdapter_Illiquid`
/// before anything moves; `max*` read limits and never revert. Yield token units gained by
/// rounding stay in the adapter, unowned.
abstract contract YieldTokenAdapter is ERC20, IERC4626 {
    // ------------------------------------------------------------------ errors

    /// @notice A zero address was given.
    error YieldTokenAdapter_ZeroAddress();
    /// @notice A withdrawal of `assets` is above the `available` liquidity of the exit path.
    error YieldTokenAdapter_Illiquid(uint256 assets, uint256 available);
    /// @notice A deposit of `assets` is above the `room` the entry path has.
    error YieldTokenAdapter_DepositExceedsRoom(uint256 assets, uint256 room);
    /// @notice The entry path gave `got` yield token units, fewer than the `shares` owed.
    error YieldTokenAdapter_ShortEntry(uint256 got, uint256 shares);

    // ------------------------------------------------------------------ storage

    IERC20 private immutable _asset;
    uint8 private immutable _decimals;

    // ------------------------------------------------------------------ constructor

    /// @param asset_ What the vault stakes (stETH, USDC).
    /// @param yieldToken The held token (wstETH, sUSDS); shares have its decimals.
    constructor(IERC20 asset_, IERC20Metadata yieldToken, string memory name_, string memory symbol_)
        ERC20(name_, symbol_)
    {
        if (address(asset_) == address(0) || address(yieldToken) == address(0)) revert YieldTokenAdapter_ZeroAddress();
        _asset = asset_;
        _decimals = yieldToken.decimals();
    }

    // ------------------------------------------------------------------ ERC-4626

    /// @inheritdoc IERC4626
    function asset() public view returns (address) {
        return address(_asset);
    }

    /// @inheritdoc ERC20
    function decimals() public view override(ERC20, IERC20Metadata) returns (uint8) {
        return _decimals;
    }

    /// @inheritdoc IERC4626
    function totalAssets() public view returns (uint256) {
        return _toAssets(totalSupply());
    }

    /// @inheritdoc IERC4626
    function convertToShares(uint256 assets) public view returns (uint256) {
        return _toShares(assets);
    }

    /// @inheritdoc IERC4626
    function convertToAssets(uint256 shares) public view returns (uint256) {
        return _toAssets(shares);
    }

    /// @inheritdoc IERC4626
    function maxDeposit(address) public view returns (uint256) {
        return _depositRoom();
    }

    /// @inheritdoc IERC4626
    function maxMint(address) public view returns (uint256) {
        uint256 room = _depositRoom();
        return room == type(uint256).max ? room : previewDeposit(room);
    }

    /// @inheritdoc IERC4626
    function maxWithdraw(address owner_) public view returns (uint256) {
        uint256 own = previewRedeem(_burnable(balanceOf(owner_)));
        uint256 available = _exitLiquidity();
        return own < available ? own : available;
    }

    /// @inheritdoc IERC4626
    function maxRedeem(address owner_) public view returns (uint256) {
        uint256 own = balanceOf(owner_);
        uint256 available = _exitLiquidity();
        if (previewRedeem(own) <= available) return own;
        // previewRedeem(x) <= _toAssets(x), so these shares never redeem for more than the liquidity.
        return _toShares(available);
    }

    /// @inheritdoc IERC4626
    function previewDeposit(uint256 assets) public view virtual returns (uint256);

    /// @inheritdoc IERC4626
    function previewMint(uint256 shares) public view virtual returns (uint256);

    /// @inheritdoc IERC4626
    function previewWithdraw(uint256 assets) public view virtual returns (uint256);

    /// @inheritdoc IERC4626
    function previewRedeem(uint256 shares) public view virtual returns (uint256);

    /// @inheritdoc IERC4626
    function deposit(uint256 assets, address receiver) external returns (uint256 shares) {
        _checkRoom(assets);
        shares = _enter(msg.sender, assets, 0);
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    function mint(uint256 shares, address receiver) external returns (uint256 assets) {
        assets = previewMint(shares);
        _checkRoom(assets);
        uint256 got = _enter(msg.sender, assets, shares);
        if (got < shares) revert YieldTokenAdapter_ShortEntry(got, shares);
        _mint(receiver, shares);
        emit Deposit(msg.sender, receiver, assets, shares);
    }

    /// @inheritdoc IERC4626
    function withdraw(uint256 assets, address receiver, address owner_) external returns (uint256 shares) {
        _checkLiquidity(assets);
        shares = previewWithdraw(assets);
        if (msg.sender != owner_) _spendAllowance(owner_, msg.sender, shares);
        _burn(owner_, shares);
        _exitExact(assets, shares, receiver);
        emit Withdraw(msg.sender, receiver, owner_, assets, shares);
    }

    /// @inheritdoc IERC4626
    function redeem(uint256 shares, address receiver, address owner_) external returns (uint256 assets) {
        _checkLiquidity(previewRedeem(shares));
        if (msg.sender != owner_) _spendAllowance(owner_, msg.sender, shares);
        _burn(owner_, shares);
        assets = _exit(shares, receiver);
        emit Withdraw(msg.sender, receiver, owner_, assets, shares);
    }

    // ------------------------------------------------------------------ hooks

    /// @dev Yield token units `assets` are worth at the rate, rounded down.
    function _toShares(uint256 assets) internal view virtual returns (uint256);

    /// @dev Assets `shares` yield token units are worth at the rate, rounded down.
    function _toAssets(uint256 shares) internal view virtual returns (uint256);

    /// @dev Largest deposit the entry path takes now (`type(uint256).max` for no limit).
    function _depositRoom() internal view virtual returns (uint256);

    /// @dev Assets the exit path can pay out now.
    function _exitLiquidity() internal view virtual returns (uint256);

    /// @dev Pulls `assets` from `from` and turns them into yield token units held here: all of them
    /// (`exactShares` 0, a deposit) or exactly `exactShares` units (a mint, `assets` its preview).
    /// @return got The units obtained (at least `previewDeposit(assets)`, or `exactShares`).
    function _enter(address from, uint256 assets, uint256 exactShares) internal virtual returns (uint256 got);

    /// @dev The largest part of `shares` the exit path can burn for its full value (the path may
    /// work in coarser units than a share).
    function _burnable(uint256 shares) internal view virtual returns (uint256) {
        return shares;
    }

    /// @dev Turns at most `shares` units into at least `assets` for `receiver`.
    function _exitExact(uint256 assets, uint256 shares, address receiver) internal virtual;

    /// @dev Turns `shares` units into assets for `receiver`.
    /// @return assets What was paid (at least `previewRedeem(shares)`).
    function _exit(uint256 shares, address receiver) internal virtual returns (uint256 assets);

    // ------------------------------------------------------------------ internal

    function _checkRoom(uint256 assets) internal view {
        uint256 room = _depositRoom();
        if (assets > room) revert YieldTokenAdapter_DepositExceedsRoom(assets, room);
    }

    function _checkLiquidity(uint256 assets) internal view {
        uint256 available = _exitLiquidity();
        if (assets > available) revert YieldTokenAdapter_Illiquid(assets, available);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {MockUSD} from "../../market/utils/MockUSD.sol";
import {StETHLike, WstETHLike} from "./LidoLike.sol";
import {BridgedSUSDSLike, RateProviderLike, PSM3Like} from "./SparkPsmLike.sol";
import {MorphoV2LikeSource, StataLikeSource} from "../../vault/utils/QuirkSources.sol";
import {WstETHAdapter} from "../../../src/adapters/WstETHAdapter.sol";
import {IWstETH} from "../../../src/adapters/IStETH.sol";
import {SUSDSBaseAdapter} from "../../../src/adapters/SUSDSBaseAdapter.sol";
import {IPSM3} from "../../../src/adapters/IPSM3.sol";

/// @dev A local world for each yield source the vault may use on a real network: the source as
/// the vault sees it (`source`), how to give an actor its asset, and how time turns into yield.
abstract contract SourceWorld is Test {
    IERC4626 internal source;

    function _build() internal virtual;
    function give(address who, uint256 amount) public virtual;
    function _accrueFor(uint256 dt) internal virtual;
    function _maxAmountOf() internal pure virtual returns (uint256);
}

/// @dev Lido: stETH at ~1.17 ETH per share (as on mainnet), wstETH, the adapter; 3% a year of rebases.
abstract contract LidoWorld is SourceWorld {
    StETHLike internal steth;
    WstETHLike internal wsteth;
    WstETHAdapter internal adapter;
    address private _lido = makeAddr("lido stakers");

    function _build() internal override {
        steth = new StETHLike();
        wsteth = new WstETHLike(steth);
        adapter = new WstETHAdapter(IWstETH(address(wsteth)));
        source = IERC4626(address(adapter));
        vm.deal(_lido, 10_000_000 ether);
        vm.prank(_lido);
        steth.submit{value: 10_000_000 ether}(address(0));
        steth.rebase(1_734_567.89012345678901234 ether); // ~1.17 per share, an odd rate: every division rounds
    }

    /// @dev From Lido's other stakers, by shares (rounded up, so `who` gets at least `amount`); a
    /// fresh `submit` would move the rate by a wei between a preview and the call it previews.
    function give(address who, uint256 amount) public override {
        uint256 shares = amount * steth.getTotalShares() / steth.getTotalPooledEther() + 2;
        vm.prank(_lido);
        steth.transferShares(who, shares);
    }

    function _accrueFor(uint256 dt) internal override {
        // casting to 'int256' is safe because the pooled ether and the factor are far below 2**255.
        // forge-lint: disable-next-line(unsafe-typecast)
        steth.rebase(int256(steth.getTotalPooledEther() * 300 * dt / (10_000 * 365 days)));
    }

    function _maxAmountOf() internal pure override returns (uint256) {
        return 100_000 ether;
    }
}

/// @dev Base: USDC, bridged sUSDS, the rate provider at 4.5% a year from a rate of 1.0734, the
/// PSM with 50M of each side, the adapter.
abstract contract SparkBaseWorld is SourceWorld {
    MockUSD internal usdc;
    BridgedSUSDSLike internal susds;
    RateProviderLike internal rates;
    PSM3Like internal psm;
    SUSDSBaseAdapter internal adapter;

    function _build() internal override {
        usdc = new MockUSD();
        susds = new BridgedSUSDSLike();
        rates = new RateProviderLike(450);
        rates.report(1.073456789012345678901234567e27);
        psm = new PSM3Like(address(usdc), address(susds), address(rates));
        usdc.mint(address(psm), 50_000_000e6);
        susds.mint(address(psm), 50_000_000e18);
        adapter = new SUSDSBaseAdapter(IPSM3(address(psm)));
        source = IERC4626(address(adapter));
    }

    function give(address who, uint256 amount) public override {
        usdc.mint(who, amount);
    }

    function _accrueFor(uint256) internal override {} // the rate provider grows with time

    function _maxAmountOf() internal pure override returns (uint256) {
        return 1e13; // ten million USDC
    }
}

/// @dev Morpho Vault V2-like over USDC: max* = 0; yield is a donation of 5% a year.
abstract contract MorphoWorld is SourceWorld {
    MockUSD internal usdc;

    function _build() internal override {
        usdc = new MockUSD();
        source = IERC4626(address(new MorphoV2LikeSource(IERC20(address(usdc)))));
    }

    function give(address who, uint256 amount) public override {
        usdc.mint(who, amount);
    }

    function _accrueFor(uint256 dt) internal override {
        usdc.mint(address(source), usdc.balanceOf(address(source)) * 500 * dt / (10_000 * 365 days));
    }

    function _maxAmountOf() internal pure override returns (uint256) {
        return 1e15;
    }
}

/// @dev Aave stata-like over USDC: liquidity limited by borrowers (60% borrowed), a supply cap.
abstract contract StataWorld is SourceWorld {
    MockUSD internal usdc;
    StataLikeSource internal stata;

    function _build() internal override {
        usdc = new MockUSD();
        stata = new StataLikeSource(IERC20(address(usdc)));
        source = IERC4626(address(stata));
    }

    function give(address who, uint256 amount) public override {
        usdc.mint(who, amount);
    }

    function _accrueFor(uint256 dt) internal override {
        usdc.mint(address(source), usdc.balanceOf(address(source)) * 400 * dt / (10_000 * 365 days));
        uint256 target = usdc.balanceOf(address(source)) * 6 / 10; // borrowers hold 60% of the liquidity
        if (target > stata.borrowed()) stata.borrow(target - stata.borrowed());
    }

    function _maxAmountOf() internal pure override returns (uint256) {
        return 1e15;
    }
}

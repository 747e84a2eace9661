// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Test} from "forge-std/Test.sol";
import {ERC4626Properties} from "../assets/ERC4626Properties.sol";
import {SourceWorld, LidoWorld, SparkBaseWorld, MorphoWorld, StataWorld} from "./utils/Worlds.sol";

/// @dev The ERC-4626 properties (no free round trip, previews on the source's side, convertTo*
/// caller-independent, max*/totalAssets never revert) against each real-network source's local world.
abstract contract WorldProperties is ERC4626Properties, SourceWorld {
    function setUp() public {
        vm.warp(1_750_000_000);
        _build();
        vault4626 = source;
    }

    function _give(address who, uint256 amount) internal override {
        give(who, amount);
    }

    function _accrue(uint256 dt) internal override {
        _accrueFor(dt);
    }

    function _maxAmount() internal pure override returns (uint256) {
        return _maxAmountOf();
    }
}

contract WstETHAdapterPropertiesTest is WorldProperties, LidoWorld {}

contract SUSDSBaseAdapterPropertiesTest is WorldProperties, SparkBaseWorld {}

contract MorphoV2LikePropertiesTest is WorldProperties, MorphoWorld {}

contract StataLikePropertiesTest is WorldProperties, StataWorld {}

/// @dev Random actors deposit, mint, withdraw and redeem while time and yield pass. Ghosts: what a
/// same-block round trip paid back above its cost (must stay 0), and calls to max* that reverted.
contract SourceHandler is Test {
    IERC4626 internal immutable source;
    SourceWorld internal immutable world;
    uint256 internal immutable maxAmount;
    address[3] internal actors = [makeAddr("actor a"), makeAddr("actor b"), makeAddr("actor c")];
    uint256 public roundTripGain;
    uint256 public roundTrips;

    constructor(IERC4626 source_, SourceWorld world_, uint256 maxAmount_) {
        source = source_;
        world = world_;
        maxAmount = maxAmount_;
    }

    function deposit(uint256 actorSeed, uint256 assets) external {
        address actor = actors[actorSeed % 3];
        assets = bound(assets, 1, maxAmount);
        world.give(actor, assets);
        vm.startPrank(actor);
        IERC20(source.asset()).approve(address(source), assets);
        try source.deposit(assets, actor) {} catch {}
        vm.stopPrank();
    }

    function roundTrip(uint256 actorSeed, uint256 assets) external {
        address actor = actors[actorSeed % 3];
        assets = bound(assets, 1, maxAmount);
        world.give(actor, assets);
        IERC20 asset = IERC20(source.asset());
        vm.startPrank(actor);
        asset.approve(address(source), assets);
        uint256 before = asset.balanceOf(actor);
        try source.deposit(assets, actor) returns (uint256 shares) {
            uint256 spent = before - asset.balanceOf(actor);
            before = asset.balanceOf(actor);
            try source.redeem(shares, actor, actor) {
                uint256 back = asset.balanceOf(actor) - before;
                // stETH balances move by shares: a transfer of `spent` may show 2 wei either way.
                if (back > spent + 2) roundTripGain += back - spent;
                ++roundTrips;
            } catch {}
        } catch {}
        vm.stopPrank();
    }

    function redeemAll(uint256 actorSeed) external {
        address actor = actors[actorSeed % 3];
        uint256 shares = source.maxRedeem(actor);
        if (shares == 0) return;
        vm.prank(actor);
        try source.redeem(shares, actor, actor) {} catch {}
    }

    function withdrawMax(uint256 actorSeed) external {
        address actor = actors[actorSeed % 3];
        uint256 assets = source.maxWithdraw(actor);
        if (assets == 0) return;
        vm.prank(actor);
        try source.withdraw(assets, actor, actor) {} catch {}
    }

    function pass(uint32 dt) external {
        uint256 seconds_ = bound(dt, 1, 30 days);
        vm.warp(block.timestamp + seconds_);
        SourceInvariants(address(world)).accrue(seconds_);
    }

    function actorAt(uint256 i) external view returns (address) {
        return actors[i];
    }
}

/// @dev Invariants for each source under the handler: no same-block round trip ever paid more than
/// it cost; max*/totalAssets never revert and maxWithdraw never exceeds what the shares redeem for;
/// the shares issued are backed by the source's assets.
abstract contract SourceInvariants is SourceWorld {
    SourceHandler internal handler;

    function setUp() public {
        vm.warp(1_750_000_000);
        _build();
        handler = new SourceHandler(source, this, _maxAmountOf());
        targetContract(address(handler));
    }

    function accrue(uint256 dt) external {
        _accrueFor(dt);
    }

    function invariant_NoRoundTripPaysMoreThanItCost() public view {
        assertEq(handler.roundTripGain(), 0);
    }

    function invariant_MaxAndTotalAssetsNeverRevertNorOverpromise() public view {
        uint256 sum;
        for (uint256 i; i < 3; ++i) {
            address actor = handler.actorAt(i);
            uint256 shares = source.balanceOf(actor);
            assertLe(source.maxWithdraw(actor), source.previewRedeem(shares));
            assertLe(source.maxRedeem(actor), shares);
            source.maxDeposit(actor);
            source.maxMint(actor);
            sum += shares;
        }
        assertLe(sum, source.totalSupply());
        assertGe(source.totalAssets(), source.convertToAssets(sum));
    }
}

contract WstETHAdapterInvariants is SourceInvariants, LidoWorld {
    /// @dev Every share is one wstETH held: the adapter can always unwrap what it issued.
    function invariant_SharesBackedByWstETH() public view {
        assertGe(wsteth.balanceOf(address(adapter)), adapter.totalSupply());
    }
}

contract SUSDSBaseAdapterInvariants is SourceInvariants, SparkBaseWorld {
    /// @dev Every share is one sUSDS unit held.
    function invariant_SharesBackedBySUSDS() public view {
        assertGe(susds.balanceOf(address(adapter)), adapter.totalSupply());
    }
}

contract MorphoV2LikeInvariants is SourceInvariants, MorphoWorld {}

contract StataLikeInvariants is SourceInvariants, StataWorld {}

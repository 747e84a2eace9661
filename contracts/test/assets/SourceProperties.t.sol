// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {SUSDx} from "../../src/assets/SUSDx.sol";
import {WETH} from "../../src/assets/WETH.sol";
import {StakedEther} from "../../src/assets/StakedEther.sol";
import {ERC4626Properties} from "./ERC4626Properties.sol";

/// @dev sUSDx (10% APR, minting its interest) against the ERC-4626 properties.
contract SUSDxPropertiesTest is ERC4626Properties {
    address internal owner = makeAddr("owner");
    USDx internal usdx;

    function setUp() public {
        vm.warp(1_750_000_000);
        usdx = new USDx(owner);
        SUSDx susdx = new SUSDx(IERC20(address(usdx)), 1_000, owner);
        vm.prank(owner);
        usdx.setMinter(address(susdx), true);
        vault4626 = IERC4626(address(susdx));
    }

    function _give(address who, uint256 amount) internal override {
        vm.prank(owner);
        usdx.mint(who, amount);
    }

    function _maxAmount() internal pure override returns (uint256) {
        return 1e15; // a billion USDx
    }
}

/// @dev StakedEther (the devnet ETH source: 3% APR from a reserve) against the same properties.
contract StakedEtherPropertiesTest is ERC4626Properties {
    address internal owner = makeAddr("owner");
    WETH internal weth;

    function setUp() public {
        vm.warp(1_750_000_000);
        weth = new WETH();
        StakedEther steth = new StakedEther(IERC20(address(weth)), 300, owner);
        vault4626 = IERC4626(address(steth));
        _give(owner, 10_000 ether);
        vm.startPrank(owner);
        weth.approve(address(steth), 10_000 ether);
        steth.fundRewards(10_000 ether);
        vm.stopPrank();
    }

    function _give(address who, uint256 amount) internal override {
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        weth.deposit{value: amount}();
    }

    function _maxAmount() internal pure override returns (uint256) {
        return 100_000 ether;
    }
}

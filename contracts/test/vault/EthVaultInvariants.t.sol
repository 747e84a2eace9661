// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {WETH} from "../../src/assets/WETH.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {EthStakeGateway} from "../../src/conversion/EthStakeGateway.sol";
import {ConversionFixture} from "../conversion/ConversionFixture.sol";

/// @dev Random stakes of ether (gateway), unstakes, harvests and time: no leaver ever receives more
/// than the principal they burn, and (no losses here) always exactly it.
contract EthVaultHandler is Test {
    WETH internal immutable _weth;
    YieldVault internal immutable _vault;
    EthStakeGateway internal immutable _gateway;
    address[] internal _actors;
    bool public overpaid;
    bool public underpaid;
    uint256 public unstakes;

    constructor(WETH weth_, YieldVault vault_, EthStakeGateway gateway_) {
        _weth = weth_;
        _vault = vault_;
        _gateway = gateway_;
        for (uint256 i; i < 5; ++i) {
            _actors.push(address(uint160(0xE000 + i)));
        }
    }

    function actors() external view returns (address[] memory) {
        return _actors;
    }

    function stake(uint256 seed, uint256 amount) external {
        address actor = _actors[seed % _actors.length];
        amount = bound(amount, 1, 100 ether);
        vm.deal(actor, amount);
        vm.prank(actor);
        _gateway.stake{value: amount}();
    }

    function unstake(uint256 seed, uint256 principal) external {
        address actor = _actors[seed % _actors.length];
        uint256 withdrawable = _vault.withdrawableOf(actor);
        if (withdrawable == 0) return;
        principal = bound(principal, 1, withdrawable);
        uint256 before = _weth.balanceOf(actor);
        vm.prank(actor);
        _vault.unstake(principal);
        uint256 received = _weth.balanceOf(actor) - before;
        if (received > principal) overpaid = true;
        if (received != principal) underpaid = true;
        ++unstakes;
    }

    function harvest() external {
        _vault.harvest();
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 30 days));
    }
}

contract EthVaultInvariantsTest is ConversionFixture {
    EthVaultHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new EthVaultHandler(weth, vault, gateway);
        targetContract(address(handler));
    }

    function invariant_NoLeaverTakesMoreThanPrincipal() public view {
        assertFalse(handler.overpaid());
    }

    function invariant_EveryLeaverGetsExactlyPrincipal() public view {
        assertFalse(handler.underpaid());
    }

    function invariant_ValueCoversPrincipal() public view {
        assertGe(vault.totalValue(), vault.totalPrincipal());
    }

    function invariant_TotalPrincipalIsSumOfPrincipals() public view {
        address[] memory actors = handler.actors();
        uint256 sum;
        uint256 compute;
        for (uint256 i; i < actors.length; ++i) {
            sum += vault.principalOf(actors[i]);
            compute += vault.computeBalanceOf(actors[i]);
        }
        assertEq(sum, vault.totalPrincipal());
        assertLe(compute, vault.totalHarvested() + vault.pendingYield());
    }
}

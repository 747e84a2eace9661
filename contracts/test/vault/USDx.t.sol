// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {USDx} from "../../src/assets/USDx.sol";

contract USDxTest is Test {
    address internal owner = makeAddr("owner");
    address internal alice = makeAddr("alice");
    USDx internal usdx;

    function setUp() public {
        usdx = new USDx(owner);
    }

    function test_Metadata() public view {
        assertEq(usdx.name(), "y2c Dollar");
        assertEq(usdx.symbol(), "USDx");
        assertEq(usdx.decimals(), 6);
        assertEq(usdx.owner(), owner);
        assertEq(usdx.FAUCET_CAP(), 1_000_000e6);
    }

    function test_Faucet_AnyoneDrawsUpToCap() public {
        vm.expectEmit(address(usdx));
        emit USDx.FaucetDrawn(address(this), alice, 1_000_000e6);
        usdx.faucet(alice, 1_000_000e6);
        assertEq(usdx.balanceOf(alice), 1_000_000e6);
    }

    function testFuzz_Faucet(address to, uint256 amount) public {
        vm.assume(to != address(0));
        amount = bound(amount, 0, usdx.FAUCET_CAP());
        usdx.faucet(to, amount);
        assertEq(usdx.balanceOf(to), amount);
        assertEq(usdx.totalSupply(), amount);
    }

    function test_RevertWhen_FaucetAboveCap() public {
        vm.expectRevert(abi.encodeWithSelector(USDx.USDx_FaucetCapExceeded.selector, 1_000_000e6 + 1, 1_000_000e6));
        usdx.faucet(alice, 1_000_000e6 + 1);
    }

    function test_Mint_OwnerAndMinters() public {
        vm.prank(owner);
        usdx.mint(alice, 5e12);
        address minter = makeAddr("minter");
        vm.prank(owner);
        vm.expectEmit(address(usdx));
        emit USDx.MinterSet(minter, true);
        usdx.setMinter(minter, true);
        assertTrue(usdx.isMinter(minter));
        assertTrue(usdx.isMinter(owner));
        vm.prank(minter);
        usdx.mint(alice, 1);
        assertEq(usdx.balanceOf(alice), 5e12 + 1);

        vm.prank(owner);
        usdx.setMinter(minter, false);
        vm.prank(minter);
        vm.expectRevert(abi.encodeWithSelector(USDx.USDx_NotMinter.selector, minter));
        usdx.mint(alice, 1);
    }

    function test_RevertWhen_MintByStranger() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(USDx.USDx_NotMinter.selector, alice));
        usdx.mint(alice, 1);
    }

    function test_RevertWhen_SetMinterByStranger() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, alice));
        usdx.setMinter(alice, true);
    }

    function test_RevertWhen_SetMinterZeroAddress() public {
        vm.prank(owner);
        vm.expectRevert(USDx.USDx_ZeroAddress.selector);
        usdx.setMinter(address(0), true);
    }

    function test_Permit() public {
        (address signer, uint256 key) = makeAddrAndKey("signer");
        bytes32 typehash =
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
        bytes32 structHash = keccak256(abi.encode(typehash, signer, alice, 7e6, 0, block.timestamp));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", usdx.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        usdx.permit(signer, alice, 7e6, block.timestamp, v, r, s);
        assertEq(usdx.allowance(signer, alice), 7e6);
        assertEq(usdx.nonces(signer), 1);
    }
}

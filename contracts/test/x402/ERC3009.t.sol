// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {ERC3009} from "../../src/assets/ERC3009.sol";
import {ContractSigner} from "../market/utils/ContractSigner.sol";

/// @notice EIP-3009 on USDx: both signature forms, receive-only-by-payee, replay, validity window, cancel,
/// ERC-1271 signers.
contract ERC3009Test is Test {
    USDx internal usdx;
    address internal alice;
    uint256 internal alicePk;
    address internal bob = makeAddr("bob");

    function setUp() public {
        usdx = new USDx(address(this));
        (alice, alicePk) = makeAddrAndKey("alice");
        usdx.mint(alice, 100e6);
        vm.warp(1_000_000);
    }

    function _digest(bytes32 typehash, address from, address to, uint256 value, uint256 va, uint256 vb, bytes32 nonce)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(typehash, from, to, value, va, vb, nonce));
        return keccak256(abi.encodePacked("\x19\x01", usdx.DOMAIN_SEPARATOR(), structHash));
    }

    function _sign(uint256 pk, bytes32 typehash, address to, uint256 value, bytes32 nonce)
        internal
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        return vm.sign(pk, _digest(typehash, alice, to, value, 0, block.timestamp + 60, nonce));
    }

    function test_TypehashesAreTheSpecs() public view {
        assertEq(
            usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(),
            keccak256(
                "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
            )
        );
        assertEq(
            usdx.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(),
            keccak256(
                "ReceiveWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)"
            )
        );
        assertEq(usdx.CANCEL_AUTHORIZATION_TYPEHASH(), keccak256("CancelAuthorization(address authorizer,bytes32 nonce)"));
        (, string memory name, string memory version,,,,) = usdx.eip712Domain();
        assertEq(name, "y2c Dollar");
        assertEq(version, "1");
    }

    function test_TransferWithAuthorization_VRS() public {
        bytes32 nonce = keccak256("n1");
        bytes32 th = usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH();
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, th, bob, 30e6, nonce);
        assertFalse(usdx.authorizationState(alice, nonce));
        vm.prank(makeAddr("relayer"));
        usdx.transferWithAuthorization(alice, bob, 30e6, 0, block.timestamp + 60, nonce, v, r, s);
        assertEq(usdx.balanceOf(bob), 30e6);
        assertEq(usdx.balanceOf(alice), 70e6);
        assertTrue(usdx.authorizationState(alice, nonce));
    }

    function test_TransferWithAuthorization_BytesSignature() public {
        bytes32 nonce = keccak256("n2");
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 5e6, nonce);
        usdx.transferWithAuthorization(alice, bob, 5e6, 0, block.timestamp + 60, nonce, abi.encodePacked(r, s, v));
        assertEq(usdx.balanceOf(bob), 5e6);
    }

    function test_RevertWhen_AuthorizationReplayed() public {
        bytes32 nonce = keccak256("n3");
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 5e6, nonce);
        usdx.transferWithAuthorization(alice, bob, 5e6, 0, block.timestamp + 60, nonce, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_AuthorizationUsed.selector, alice, nonce));
        usdx.transferWithAuthorization(alice, bob, 5e6, 0, block.timestamp + 60, nonce, abi.encodePacked(r, s, v));
        assertEq(usdx.balanceOf(bob), 5e6);
    }

    function test_RevertWhen_Expired() public {
        bytes32 nonce = keccak256("n4");
        uint256 vb = block.timestamp + 60;
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 5e6, nonce);
        vm.warp(vb);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_Expired.selector, vb, vb));
        usdx.transferWithAuthorization(alice, bob, 5e6, 0, vb, nonce, v, r, s);
    }

    function test_RevertWhen_NotYetValid() public {
        bytes32 nonce = keccak256("n5");
        uint256 va = block.timestamp + 10;
        uint256 vb = block.timestamp + 60;
        bytes32 d = _digest(usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), alice, bob, 5e6, va, vb, nonce);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(alicePk, d);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_NotYetValid.selector, va, block.timestamp));
        usdx.transferWithAuthorization(alice, bob, 5e6, va, vb, nonce, v, r, s);
    }

    function test_RevertWhen_SignedByAnotherKey() public {
        (, uint256 evePk) = makeAddrAndKey("eve");
        bytes32 nonce = keccak256("n6");
        (uint8 v, bytes32 r, bytes32 s) = _sign(evePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 5e6, nonce);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_InvalidSignature.selector, alice));
        usdx.transferWithAuthorization(alice, bob, 5e6, 0, block.timestamp + 60, nonce, v, r, s);
        assertEq(usdx.balanceOf(alice), 100e6);
    }

    function test_RevertWhen_TransferSignatureUsedAsReceive() public {
        bytes32 nonce = keccak256("n7");
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 5e6, nonce);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_InvalidSignature.selector, alice));
        usdx.receiveWithAuthorization(alice, bob, 5e6, 0, block.timestamp + 60, nonce, v, r, s);
    }

    function test_ReceiveWithAuthorization_OnlyByPayee() public {
        bytes32 nonce = keccak256("n8");
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.RECEIVE_WITH_AUTHORIZATION_TYPEHASH(), bob, 7e6, nonce);
        address front = makeAddr("front-runner");
        vm.prank(front);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_CallerNotPayee.selector, front, bob));
        usdx.receiveWithAuthorization(alice, bob, 7e6, 0, block.timestamp + 60, nonce, v, r, s);
        vm.prank(bob);
        usdx.receiveWithAuthorization(alice, bob, 7e6, 0, block.timestamp + 60, nonce, abi.encodePacked(r, s, v));
        assertEq(usdx.balanceOf(bob), 7e6);
    }

    function test_CancelAuthorization_BlocksLaterUse() public {
        bytes32 nonce = keccak256("n9");
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), bob, 5e6, nonce);
        bytes32 cancelDigest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                usdx.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(usdx.CANCEL_AUTHORIZATION_TYPEHASH(), alice, nonce))
            )
        );
        (uint8 cv, bytes32 cr, bytes32 cs) = vm.sign(alicePk, cancelDigest);
        usdx.cancelAuthorization(alice, nonce, cv, cr, cs);
        assertTrue(usdx.authorizationState(alice, nonce));
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_AuthorizationUsed.selector, alice, nonce));
        usdx.transferWithAuthorization(alice, bob, 5e6, 0, block.timestamp + 60, nonce, v, r, s);
        vm.expectRevert(abi.encodeWithSelector(ERC3009.ERC3009_AuthorizationUsed.selector, alice, nonce));
        usdx.cancelAuthorization(alice, nonce, abi.encodePacked(cr, cs, cv));
    }

    function test_TransferWithAuthorization_Erc1271Signer() public {
        (address owner, uint256 ownerPk) = makeAddrAndKey("wallet-owner");
        ContractSigner wallet = new ContractSigner(owner);
        usdx.mint(address(wallet), 10e6);
        bytes32 nonce = keccak256("n10");
        uint256 vb = block.timestamp + 60;
        bytes32 d = _digest(usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), address(wallet), bob, 4e6, 0, vb, nonce);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, d);
        usdx.transferWithAuthorization(address(wallet), bob, 4e6, 0, vb, nonce, abi.encodePacked(r, s, v));
        assertEq(usdx.balanceOf(bob), 4e6);
    }

    function testFuzz_TransferWithAuthorization(uint256 value, bytes32 nonce, address to) public {
        value = bound(value, 0, 100e6);
        vm.assume(to != address(0) && to != alice);
        (uint8 v, bytes32 r, bytes32 s) = _sign(alicePk, usdx.TRANSFER_WITH_AUTHORIZATION_TYPEHASH(), to, value, nonce);
        usdx.transferWithAuthorization(alice, to, value, 0, block.timestamp + 60, nonce, v, r, s);
        assertEq(usdx.balanceOf(to), value);
        assertEq(usdx.balanceOf(alice), 100e6 - value);
        assertTrue(usdx.authorizationState(alice, nonce));
    }
}

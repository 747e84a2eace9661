// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

import {AccountFixture} from "./AccountFixture.sol";
import {ERC6551Account} from "../../src/account/ERC6551Account.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";

/// @dev Issue 10 item 1, "gas is value": the ETH a session key makes the account spend through
/// ERC-4337 (prefund, whatever gas fields it signs) is charged to the session's gas allowance, in
/// validation; old keys fail validation after a sale; empty batches are refused; nonce keys are per key.
contract GasIsValueTest is AccountFixture {
    address payable internal attacker = payable(makeAddr("attacker-bundler"));

    /// @dev The account's spendable ETH: its balance plus its EntryPoint deposit.
    function value() internal view returns (uint256) {
        return address(account).balance + entryPoint.balanceOf(address(account));
    }

    /// @dev Gas fields an attacker acting as its own bundler would pick: everything paid to it.
    function greedy(PackedUserOperation memory op) internal pure {
        op.preVerificationGas = 3_000_000;
        op.accountGasLimits = bytes32((uint256(1_000_000) << 128) | uint256(1_000_000));
        op.gasFees = bytes32((uint256(100 gwei) << 128) | uint256(100 gwei));
    }

    function tryHandle(PackedUserOperation memory op) internal returns (bool ok) {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        try entryPoint.handleOps(ops, attacker) {
            ok = true;
        } catch {}
    }

    function test_GasIsValue_KeyWithoutPermissionsCannotBurnGas() public {
        IAgentAccount.SessionPolicy memory p = emptyPolicy();
        p.nativeBudgetPerPeriod = 0;
        p.gasAllowance = 0;
        grant(key, p);
        uint256 before = value();
        for (uint256 i; i < 3; ++i) {
            PackedUserOperation memory op = userOpFor(batchCall(new Operation[](0)));
            greedy(op);
            signUserOp(op, keyPk);
            tryHandle(op);
        }
        assertEq(value(), before, "a key allowed nothing burned the account's ETH");
        assertEq(attacker.balance, 0);
    }

    function test_GasIsValue_AdversarialGasFieldsStayWithinAllowance() public {
        grantDefault();
        uint256 before = value();
        for (uint256 i; i < 5; ++i) {
            PackedUserOperation memory op = userOpFor(executeCall(address(token), 0, transferCall(recipient, 1)));
            greedy(op);
            signUserOp(op, keyPk);
            tryHandle(op);
        }
        assertLe(before - value(), GAS_ALLOWANCE, "prefunds exceeded the session's gas allowance");
    }

    function test_GasIsValue_OldKeyFailsValidationAfterSale() public {
        grantDefault();
        sellNft();
        PackedUserOperation memory op = userOpFor(executeCall(address(token), 0, transferCall(recipient, 1)));
        signUserOp(op, keyPk);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        entryPoint.handleOps(ops, attacker);
    }

    function test_GasIsValue_EmptyBatchRefusedAndStateUntouched() public {
        uint256 state = account.state();
        vm.prank(makeAddr("anyone"));
        (bool ok,) = address(account).call(batchCall(new Operation[](0)));
        assertFalse(ok, "anyone ran an empty batch");
        vm.prank(owner);
        (ok,) = address(account).call(batchCall(new Operation[](0)));
        assertFalse(ok, "the owner ran an empty batch");
        assertEq(account.state(), state, "state bumped without authorization");
    }

    function test_GasIsValue_EmptyBatchUserOpFailsValidation() public {
        grantDefault();
        PackedUserOperation memory op = userOpFor(batchCall(new Operation[](0)));
        signUserOp(op, keyPk);
        assertFalse(tryHandle(op), "an empty batch user operation validated");
    }

    function test_GasIsValue_KeyCannotUseAnotherKeysNonceLane() public {
        grantDefault();
        uint256 otherPk = 0xB0B;
        address other = vm.addr(otherPk);
        grant(other, defaultPolicy());
        PackedUserOperation memory op = userOpFor(executeCall(address(token), 0, transferCall(recipient, 1)));
        op.nonce = entryPoint.getNonce(address(account), uint192(uint160(key))); // key's lane
        signUserOp(op, otherPk);
        assertFalse(tryHandle(op), "one key consumed another key's nonce lane");
    }

    function test_GasIsValue_PrefundChangesState() public {
        grantDefault();
        // Execution reverts (over the token budget), the prefund is paid all the same.
        PackedUserOperation memory op =
            userOpFor(executeCall(address(token), 0, transferCall(recipient, uint256(TOKEN_BUDGET) + 1)));
        signUserOp(op, keyPk);
        uint256 state = account.state();
        uint256 before = value();
        assertTrue(tryHandle(op));
        assertLt(value(), before, "prefund paid");
        assertNotEq(account.state(), state, "ETH left as prefund without a state change");
    }
}

contract GasIsValueRulesTest is AccountFixture {
    function opOf(uint192 lane) internal view returns (PackedUserOperation memory op) {
        op = userOpFor(executeCall(address(token), 0, transferCall(recipient, 1)));
        op.nonce = entryPoint.getNonce(address(account), lane);
    }

    function tryHandle(PackedUserOperation memory op) internal returns (bool ok) {
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        try entryPoint.handleOps(ops, payable(makeAddr("bundler"))) {
            ok = true;
        } catch {}
    }

    function test_GasIsValue_FeeAboveCapFailsValidation() public {
        grantDefault();
        PackedUserOperation memory op = opOf(laneOf(key));
        op.gasFees = bytes32((uint256(1 gwei) << 128) | uint256(MAX_FEE_PER_GAS) + 1);
        signUserOp(op, keyPk);
        assertFalse(tryHandle(op));
        op.gasFees = bytes32((uint256(1 gwei) << 128) | uint256(MAX_FEE_PER_GAS));
        signUserOp(op, keyPk);
        assertTrue(tryHandle(op));
        assertGt(account.getGasSpent(key), 0);
    }

    function test_GasIsValue_AllowanceIsPerGrantAndRegrantRefills() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        uint256 prefund = (200_000 + 300_000 + 50_000) * uint256(2 gwei); // userOpFor's fields
        p.gasAllowance = uint128(prefund * 2);
        grant(key, p);
        for (uint256 i; i < 2; ++i) {
            PackedUserOperation memory op = opOf(laneOf(key));
            signUserOp(op, keyPk);
            assertTrue(tryHandle(op));
        }
        PackedUserOperation memory third = opOf(laneOf(key));
        signUserOp(third, keyPk);
        assertFalse(tryHandle(third), "over the allowance");
        assertEq(account.getGasSpent(key), prefund * 2);
        // Time alone does not refill it (validation cannot read the clock): the owner re-grants.
        vm.warp(block.timestamp + 2 * PERIOD);
        assertFalse(tryHandle(third), "refilled by time");
        grant(key, p);
        assertEq(account.getGasSpent(key), 0);
        assertTrue(tryHandle(third));
    }

    function test_GasIsValue_PaymasterGasLimitsAreCharged() public {
        grantDefault();
        PackedUserOperation memory op = opOf(laneOf(key));
        // A paymaster field that asks the whole allowance for itself (no real paymaster needed: the
        // account refuses before the EntryPoint would ask one).
        op.paymasterAndData = abi.encodePacked(makeAddr("paymaster"), uint128(GAS_ALLOWANCE / 2 gwei), uint128(1));
        bytes32 hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        assertEq(uint160(account.validateUserOp(op, hash, 0)), 1);
    }

    function test_RevertWhen_TransferReportedByOtherThanTheTokenContract() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(ERC6551Account.ERC6551Account_NotTokenContract.selector, owner));
        account.onTokenTransfer();
    }

    function test_GasIsValue_AgentNftNotifiesItsCanonicalAccount() public {
        assertEq(
            nft.accountOf(tokenId),
            registry.account(address(implementation), bytes32(0), block.chainid, address(nft), tokenId)
        );
        uint256 state = account.state();
        sellNft();
        assertEq(account.ownerEpoch(), 1);
        assertNotEq(account.state(), state);
        // A new grant by the new owner binds to the new epoch.
        vm.prank(buyer);
        account.grantSession(key, defaultPolicy());
        PackedUserOperation memory op = opOf(laneOf(key));
        signUserOp(op, keyPk);
        assertTrue(tryHandle(op));
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {AccountFixture} from "./AccountFixture.sol";
import {ERC4337Account} from "../../src/account/ERC4337Account.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {ExecutionLib, Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";

contract ERC4337AccountTest is AccountFixture {
    function validate(PackedUserOperation memory op, bytes32 hash) internal returns (uint256) {
        vm.prank(address(entryPoint));
        return account.validateUserOp(op, hash, 0);
    }

    /// @dev SIG_VALIDATION_FAILED in the aggregator field (a time range may come with it).
    function sigFailed(uint256 data) internal pure returns (bool) {
        return uint160(data) == 1;
    }

    function transferOp(uint256 amount) internal returns (PackedUserOperation memory op, bytes32 hash) {
        op = userOpFor(executeCall(address(token), 0, transferCall(recipient, amount)));
        hash = signUserOp(op, keyPk);
    }

    function test_EntryPointAndNonce() public view {
        assertEq(address(account.entryPoint()), address(entryPoint));
        assertEq(account.getNonce(), 0);
    }

    function test_Validate_PacksSessionWindow() public {
        grantDefault();
        (PackedUserOperation memory op, bytes32 hash) = transferOp(1);
        (IAgentAccount.SessionPolicy memory p,,) = account.getSession(key);
        uint256 expected = (uint256(p.validUntil) << 160) | (uint256(p.validAfter) << 208);
        assertEq(validate(op, hash), expected);
    }

    function test_Validate_BadSignaturesFailWithoutReverting() public {
        grantDefault();
        (PackedUserOperation memory op, bytes32 hash) = transferOp(1);
        bytes memory good = op.signature;
        // wrong hash (the whole validation runs, so a stub signature measures it; the op fails)
        assertTrue(sigFailed(validate(op, keccak256("other"))));
        // wrong length
        op.signature = abi.encodePacked(key, bytes32(0));
        assertEq(validate(op, hash), 1);
        // garbage signature bytes
        op.signature = abi.encodePacked(key, bytes32(0), bytes32(0), uint8(27));
        assertTrue(sigFailed(validate(op, hash)));
        // signed by the owner, claiming the session key
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(ownerPk, MessageHashUtils.toEthSignedMessageHash(hash));
        op.signature = abi.encodePacked(key, r, s, v);
        assertTrue(sigFailed(validate(op, hash)));
        // the owner's own signature: not a session key
        op.signature = abi.encodePacked(owner, r, s, v);
        assertEq(validate(op, hash), 1);
        // unknown (revoked) key
        op.signature = good;
        vm.prank(owner);
        account.revokeSession(key);
        assertEq(validate(op, hash), 1);
    }

    function test_RevertWhen_ValidateNotFromEntryPoint() public {
        grantDefault();
        (PackedUserOperation memory op, bytes32 hash) = transferOp(1);
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(ERC4337Account.ERC4337Account_NotEntryPoint.selector, key));
        account.validateUserOp(op, hash, 0);
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(ERC4337Account.ERC4337Account_NotEntryPoint.selector, key));
        account.executeUserOp(op, hash);
    }

    function test_RevertWhen_CallDataNotWrapped() public {
        grantDefault();
        PackedUserOperation memory op = userOpFor("");
        op.callData = executeCall(address(token), 0, transferCall(recipient, 1));
        bytes32 hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        vm.expectRevert(
            abi.encodeWithSelector(ERC4337Account.ERC4337Account_InvalidCallData.selector, bytes4(0x51945447))
        );
        account.validateUserOp(op, hash, 0);
    }

    function test_RevertWhen_InnerCallUnsupported() public {
        grantDefault();
        PackedUserOperation memory op = userOpFor(abi.encodeCall(SessionKeys.revokeSession, (key)));
        bytes32 hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        vm.expectRevert(
            abi.encodeWithSelector(ExecutionLib.ExecutionLib_UnsupportedCall.selector, SessionKeys.revokeSession.selector)
        );
        account.validateUserOp(op, hash, 0);
    }

    function test_RevertWhen_InnerCallOutOfScope() public {
        grantDefault();
        // not an allowed pair
        PackedUserOperation memory op = userOpFor(executeCall(spender, 1, ""));
        bytes32 hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_CallNotAllowed.selector, key, spender, bytes4(0)));
        account.validateUserOp(op, hash, 0);
        // a self-call hidden in a batch
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(token), 0, transferCall(recipient, 1), 0);
        ops[1] = Operation(address(account), 0, abi.encodeCall(SessionKeys.setGuardian, (key)), 0);
        op = userOpFor(batchCall(ops));
        hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_SelfCall.selector, key, SessionKeys.setGuardian.selector)
        );
        account.validateUserOp(op, hash, 0);
        // delegatecall
        op = userOpFor(
            abi.encodeWithSignature(
                "execute(address,uint256,bytes,uint8)", address(token), 0, transferCall(recipient, 1), uint8(1)
            )
        );
        hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_OperationNotAllowed.selector, key, uint8(1)));
        account.validateUserOp(op, hash, 0);
    }

    function test_Validate_PaysPrefund() public {
        grantDefault();
        (PackedUserOperation memory op, bytes32 hash) = transferOp(1);
        vm.prank(address(entryPoint));
        account.validateUserOp(op, hash, 0.01 ether);
        assertEq(entryPoint.balanceOf(address(account)), 0.01 ether);
    }

    /// @dev ERC-7562: validation touches no storage but the account's own.
    function test_Validate_ReadsOnlyOwnStorage() public {
        grantDefault();
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(token), 0, transferCall(recipient, 1), 0);
        ops[1] = Operation(recipient, 0.1 ether, "", 0);
        PackedUserOperation memory op = userOpFor(batchCall(ops));
        bytes32 hash = signUserOp(op, keyPk);

        vm.record();
        uint256 data = validate(op, hash);
        assertEq(data & 1, 0);

        (bytes32[] memory reads, bytes32[] memory writes) = vm.accesses(address(account));
        assertGt(reads.length, 0, "reads its own storage");
        // Writes only its own storage (allowed by ERC-7562): the gas charge and the state.
        assertGt(writes.length, 0, "charges the gas allowance in its own storage");
        address[6] memory others = [
            address(nft), address(registry), address(token), address(implementation), address(entryPoint), recipient
        ];
        for (uint256 i; i < others.length; ++i) {
            (reads, writes) = vm.accesses(others[i]);
            assertEq(reads.length, 0, "foreign read");
            assertEq(writes.length, 0, "foreign write");
        }
    }

    function test_HandleOps_SessionKeyErc20Transfer() public {
        grantDefault();
        (PackedUserOperation memory op, bytes32 hash) = transferOp(5e18);
        // No SessionUsed event any more (issue 17: the key, target and value are in the transaction and
        // the EntryPoint's UserOperationEvent); the charge is checked through the usage views instead.
        handle(op);
        assertEq(token.balanceOf(recipient), 5e18 + 1);
        assertEq(account.getSessionUsage(key).calls, 1);
        assertEq(account.getTokenSpent(key, address(token)), 5e18);
        assertEq(entryPoint.getNonce(address(account), laneOf(key)) & type(uint64).max, 1);
        assertEq(account.getNonce(), 0, "lane 0 is no session key's");
        hash;
    }

    function test_HandleOps_Batch() public {
        grantDefault();
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(token), 0, transferCall(recipient, 1), 0);
        ops[1] = Operation(recipient, 0.1 ether, "", 0);
        PackedUserOperation memory op = userOpFor(batchCall(ops));
        signUserOp(op, keyPk);
        uint256 before = recipient.balance;
        handle(op);
        assertEq(recipient.balance, before + 0.1 ether);
        assertEq(account.getSessionUsage(key).calls, 2);
    }

    function test_RevertWhen_OldSessionUserOpAfterNftSold() public {
        grantDefault();
        sellNft();
        (PackedUserOperation memory op,) = transferOp(5e18);
        // AgentNFT told the account about the sale (owner epoch): validation refuses the old key (it
        // used to pass validation and revert in execution, paying gas).
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        entryPoint.handleOps(ops, payable(buyer));
        assertEq(token.balanceOf(recipient), 1, "nothing moved");
    }

    function test_RevertWhen_UserOpExceedsBudget() public {
        grantDefault();
        (PackedUserOperation memory op, bytes32 hash) = transferOp(uint256(TOKEN_BUDGET) + 1);
        vm.expectEmit(address(entryPoint));
        emit IEntryPoint.UserOperationRevertReason(
            hash,
            address(account),
            op.nonce,
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(token), uint256(TOKEN_BUDGET) + 1, TOKEN_BUDGET
            )
        );
        handle(op);
        assertEq(token.balanceOf(recipient), 1);
    }

    function test_RevertWhen_ExpiredUserOp() public {
        grantDefault();
        (PackedUserOperation memory op,) = transferOp(1);
        (IAgentAccount.SessionPolicy memory p,,) = account.getSession(key);
        vm.warp(uint256(p.validUntil) + 1);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA22 expired or not due"));
        entryPoint.handleOps(ops, payable(buyer));
    }

    function test_RevertWhen_UserOpSignedByWrongKey() public {
        grantDefault();
        (PackedUserOperation memory op,) = transferOp(1);
        signUserOp(op, ownerPk); // the owner is not a session key
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA24 signature error"));
        entryPoint.handleOps(ops, payable(buyer));
    }
}

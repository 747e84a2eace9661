// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {console2} from "forge-std/console2.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {IAccountExecute} from "@account-abstraction/contracts/interfaces/IAccountExecute.sol";

import {AccountFixture, MockERC20} from "./AccountFixture.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {AgentNFT} from "../../src/AgentNFT.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";

/// @dev Drives one session key through in-scope and out-of-scope actions and keeps ghost accounts of
/// what actually left the account, per period.
contract SessionHandler is Test {
    AgentAccount internal immutable account;
    MockERC20 internal immutable token;
    AgentNFT internal immutable nft;
    EntryPoint internal immutable entryPoint;
    address internal immutable key;
    uint256 internal immutable keyPk;
    address internal immutable owner;
    address internal immutable recipient;
    address internal immutable spender;
    address internal immutable buyer = makeAddr("buyer");
    uint48 internal immutable validAfter;
    uint32 internal immutable period;

    uint256 public violations;
    uint256 public successes;
    bool public sold;
    uint256[] internal periods;
    mapping(uint256 periodStart => uint256) public tokenOut;
    mapping(uint256 periodStart => uint256) public nativeOut;
    mapping(uint256 periodStart => uint256) public callsMade;
    mapping(bytes32 => uint256) public calls;

    constructor(
        AgentAccount account_,
        MockERC20 token_,
        AgentNFT nft_,
        EntryPoint entryPoint_,
        uint256 keyPk_,
        address owner_,
        address recipient_,
        address spender_,
        uint48 validAfter_,
        uint32 period_
    ) {
        account = account_;
        token = token_;
        nft = nft_;
        entryPoint = entryPoint_;
        keyPk = keyPk_;
        key = vm.addr(keyPk_);
        owner = owner_;
        recipient = recipient_;
        spender = spender_;
        validAfter = validAfter_;
        period = period_;
    }

    modifier countCall(string memory name) {
        calls[keccak256(bytes(name))]++;
        _;
    }

    function periodCount() external view returns (uint256) {
        return periods.length;
    }

    function periodAt(uint256 i) external view returns (uint256) {
        return periods[i];
    }

    function currentPeriod() public view returns (uint256) {
        return validAfter + ((block.timestamp - validAfter) / period) * period;
    }

    // ------------------------------------------------------------ in scope (may still revert on budgets)

    function transferToken(uint256 amount, bool toSpender) external countCall("transferToken") {
        amount = bound(amount, 0, 600);
        _run(Operation(address(token), 0, abi.encodeCall(ERC20.transfer, (toSpender ? spender : recipient, amount)), 0), 0);
    }

    function approveToken(uint256 amount) external countCall("approveToken") {
        amount = bound(amount, 0, 600);
        _run(Operation(address(token), 0, abi.encodeCall(ERC20.approve, (spender, amount)), 0), amount);
    }

    function sendNative(uint256 amount) external countCall("sendNative") {
        amount = bound(amount, 0, 0.6 ether);
        _run(Operation(recipient, amount, "", 0), 0);
    }

    function batch(uint256 a, uint256 b) external countCall("batch") {
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(token), 0, abi.encodeCall(ERC20.transfer, (recipient, bound(a, 0, 600))), 0);
        ops[1] = Operation(recipient, bound(b, 0, 0.6 ether), "", 0);
        _snapshotThen(abi.encodeWithSignature("executeBatch((address,uint256,bytes,uint8)[])", ops), 2, 0, false);
    }

    function userOpTransfer(uint256 amount) external countCall("userOpTransfer") {
        amount = bound(amount, 0, 600);
        bytes memory inner = abi.encodeWithSignature(
            "execute(address,uint256,bytes,uint8)",
            address(token),
            0,
            abi.encodeCall(ERC20.transfer, (recipient, amount)),
            uint8(0)
        );
        PackedUserOperation memory op;
        op.sender = address(account);
        op.nonce = entryPoint.getNonce(address(account), 0);
        op.callData = abi.encodePacked(IAccountExecute.executeUserOp.selector, inner);
        op.accountGasLimits = bytes32((uint256(200_000) << 128) | uint256(300_000));
        op.preVerificationGas = 50_000;
        op.gasFees = bytes32((uint256(1 gwei) << 128) | uint256(1 gwei));
        bytes32 hash = entryPoint.getUserOpHash(op);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keyPk, MessageHashUtils.toEthSignedMessageHash(hash));
        op.signature = abi.encodePacked(key, r, s, v);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        uint256 tokenBefore = token.balanceOf(address(account));
        uint256 used = account.getSessionUsage(key).calls;
        try entryPoint.handleOps(ops, payable(buyer)) {} catch {}
        uint256 out = tokenBefore - token.balanceOf(address(account));
        if (account.getSessionUsage(key).calls != used || out != 0) _record(out, 0, 1);
    }

    // ------------------------------------------------------------ out of scope: must never succeed

    function selfCall(uint256 which, bytes calldata junk) external countCall("selfCall") {
        bytes[5] memory datas = [
            abi.encodeCall(SessionKeys.grantSession, (key, _widePolicy())),
            abi.encodeCall(SessionKeys.revokeSession, (key)),
            abi.encodeCall(SessionKeys.setGuardian, (key)),
            abi.encodeWithSignature(
                "execute(address,uint256,bytes,uint8)", address(token), 0, abi.encodeCall(ERC20.transfer, (key, 1)), 0
            ),
            junk
        ];
        _mustFail(Operation(address(account), which % 2, datas[which % 5], 0));
    }

    function otherOperation(uint8 operation, uint256 which) external countCall("otherOperation") {
        operation = uint8(bound(operation, 1, 255));
        address target = which % 2 == 0 ? address(token) : recipient;
        bytes memory data = operation >= 2 && operation <= 3
            ? abi.encodePacked(bytes32(which), type(MockERC20).creationCode)
            : abi.encodeCall(ERC20.transfer, (recipient, 1));
        _mustFail(Operation(target, 0, data, operation));
    }

    function randomCall(address target, bytes4 selector, bytes calldata tail, uint256 value)
        external
        countCall("randomCall")
    {
        if (target == address(token)) {
            if (selector == ERC20.transfer.selector || selector == ERC20.approve.selector || selector == ERC20.transferFrom.selector) return;
        } else if (target == recipient && selector == bytes4(0)) {
            return;
        }
        bytes memory data = selector == bytes4(0) ? bytes("") : abi.encodePacked(selector, tail);
        _mustFail(Operation(target, bound(value, 0, 1 ether), data, 0));
    }

    function tokenOutOfScope(uint256 which, address party, uint256 amount) external countCall("tokenOutOfScope") {
        if (party == recipient || party == spender) party = address(uint160(party) ^ 1);
        bytes memory data;
        if (which % 4 == 0) data = abi.encodeCall(ERC20.transfer, (party, 1));
        else if (which % 4 == 1) data = abi.encodeCall(ERC20.approve, (party, 1));
        else if (which % 4 == 2) data = abi.encodeCall(MockERC20.transferAndCall, (recipient, 1, ""));
        else data = abi.encodeCall(MockERC20.mint, (key, bound(amount, 1, 1e30)));
        _mustFail(Operation(address(token), 0, data, 0));
    }

    function overBudget(uint256 extra) external countCall("overBudget") {
        if (block.timestamp < validAfter) return;
        uint256 remaining = 1000 - tokenOut[currentPeriod()];
        _mustFail(Operation(address(token), 0, abi.encodeCall(ERC20.transfer, (recipient, remaining + bound(extra, 1, 1e24))), 0));
    }

    function batchWithOutOfScope(uint256 a) external countCall("batchWithOutOfScope") {
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(token), 0, abi.encodeCall(ERC20.transfer, (recipient, bound(a, 0, 10))), 0);
        ops[1] = Operation(address(account), 0, abi.encodeCall(SessionKeys.revokeSession, (key)), 0);
        vm.prank(key);
        try account.executeBatch(ops) {
            violations++;
        } catch {}
    }

    // ------------------------------------------------------------ environment

    function warp(uint256 dt) external countCall("warp") {
        vm.warp(block.timestamp + bound(dt, 1, 2 * period));
    }

    function sellNft() external countCall("sellNft") {
        if (sold) return;
        vm.prank(owner);
        nft.transferFrom(owner, buyer, 1);
        sold = true;
    }

    function buyBack() external countCall("buyBack") {
        if (!sold) return;
        vm.prank(buyer);
        nft.transferFrom(buyer, owner, 1);
        sold = false;
    }

    // ------------------------------------------------------------ helpers

    function _run(Operation memory op, uint256 approved) internal {
        _snapshotThen(
            abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", op.to, op.value, op.data, op.operation),
            1,
            approved,
            false
        );
    }

    function _mustFail(Operation memory op) internal {
        _snapshotThen(
            abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", op.to, op.value, op.data, op.operation),
            1,
            0,
            true
        );
    }

    function _snapshotThen(bytes memory callData, uint256 ops, uint256 approved, bool mustFail) internal {
        uint256 tokenBefore = token.balanceOf(address(account));
        uint256 nativeBefore = address(account).balance;
        vm.prank(key);
        (bool ok,) = address(account).call(callData);
        if (!ok) return;
        if (mustFail || sold) violations++;
        successes++;
        _record(tokenBefore - token.balanceOf(address(account)) + approved, nativeBefore - address(account).balance, ops);
    }

    function _record(uint256 tokenAmount, uint256 nativeAmount, uint256 ops) internal {
        if (sold) violations++;
        uint256 p = currentPeriod();
        if (callsMade[p] == 0) periods.push(p);
        tokenOut[p] += tokenAmount;
        nativeOut[p] += nativeAmount;
        callsMade[p] += ops;
    }

    function _widePolicy() internal view returns (IAgentAccount.SessionPolicy memory p) {
        p.validAfter = 0;
        p.validUntil = type(uint48).max;
        p.period = 1;
        p.maxCallsPerPeriod = type(uint32).max;
        p.nativeBudgetPerPeriod = type(uint128).max;
        p.calls = new IAgentAccount.CallPermission[](1);
        p.calls[0] = IAgentAccount.CallPermission(address(token), ERC20.transfer.selector);
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(token), type(uint128).max);
        p.counterparties = new address[](1);
        p.counterparties[0] = key;
    }
}

contract SessionInvariantsTest is StdInvariant, AccountFixture {
    SessionHandler internal handler;
    uint128 internal constant BUDGET = 1000;
    uint32 internal constant CALLS = 8;
    uint32 internal constant WINDOW = 1 hours;

    function setUp() public override {
        super.setUp();
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.tokenBudgets[0].amountPerPeriod = BUDGET;
        p.maxCallsPerPeriod = CALLS;
        p.period = WINDOW;
        p.validUntil = uint48(block.timestamp + 3650 days);
        grant(key, p);
        vm.prank(owner);
        account.execute(address(entryPoint), 10 ether, "", 0); // gas comes from the deposit
        handler = new SessionHandler(
            account, token, nft, entryPoint, keyPk, owner, recipient, spender, p.validAfter, WINDOW
        );
        targetContract(address(handler));
    }

    /// @dev The handler must exercise the budgets, not only fail.
    function afterInvariant() public view {
        console2.log("successful session executions", handler.successes());
        console2.log("periods touched", handler.periodCount());
    }

    function invariant_TokenSpendPerPeriodWithinBudget() public view {
        for (uint256 i; i < handler.periodCount(); ++i) {
            assertLe(handler.tokenOut(handler.periodAt(i)), BUDGET);
        }
        assertLe(account.getTokenSpent(key, address(token)), BUDGET);
    }

    function invariant_NativeSpendPerPeriodWithinBudget() public view {
        for (uint256 i; i < handler.periodCount(); ++i) {
            assertLe(handler.nativeOut(handler.periodAt(i)), NATIVE_BUDGET);
        }
        assertLe(account.getSessionUsage(key).nativeSpent, NATIVE_BUDGET);
    }

    function invariant_CallsPerPeriodWithinCap() public view {
        for (uint256 i; i < handler.periodCount(); ++i) {
            assertLe(handler.callsMade(handler.periodAt(i)), CALLS);
        }
        assertLe(account.getSessionUsage(key).calls, CALLS);
    }

    function invariant_NoOutOfScopeCallSucceeds() public view {
        assertEq(handler.violations(), 0);
    }

    function invariant_SessionCannotChangeItsPolicy() public view {
        (IAgentAccount.SessionPolicy memory p, address grantedBy,) = account.getSession(key);
        assertEq(grantedBy, owner);
        assertEq(p.tokenBudgets[0].amountPerPeriod, BUDGET);
        assertEq(p.maxCallsPerPeriod, CALLS);
        assertEq(p.calls.length, 4);
        assertEq(account.guardian(), address(0));
        assertFalse(handler.sold() ? false : account.owner() != owner);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {AccountFixture, MockERC20} from "./AccountFixture.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {Executor} from "../../src/account/Executor.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";

contract Reverter {
    error Nope(uint256 code);

    function fail() external pure {
        revert Nope(42);
    }

    function echo(uint256 x) external payable returns (uint256) {
        return x;
    }
}

contract Deployed {
    uint256 public immutable x = 7;
}

/// @dev A contract session key; `reenter` is called back by a malicious callee.
contract KeyContract {
    AgentAccount internal immutable acc;
    address internal immutable tokenAddr;
    address internal immutable to;
    bool public reentered;

    constructor(AgentAccount acc_, address token_, address to_) {
        acc = acc_;
        tokenAddr = token_;
        to = to_;
    }

    function go(address target, uint256 value, bytes calldata data) external returns (bytes memory) {
        return acc.execute(target, value, data, 0);
    }

    function reenter() external {
        acc.execute(tokenAddr, 0, abi.encodeCall(ERC20.transfer, (to, 1)), 0);
        reentered = true;
    }
}

/// @dev An ERC-20 whose transfer calls back into the session key to re-enter the account.
contract ReentrantToken is MockERC20 {
    KeyContract public hook;
    bool public swallow;

    function setHook(KeyContract hook_, bool swallow_) external {
        hook = hook_;
        swallow = swallow_;
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        if (address(hook) != address(0)) {
            if (swallow) {
                try hook.reenter() {} catch {}
            } else {
                hook.reenter();
            }
        }
        return super.transfer(to, amount);
    }
}

contract ExecutorTest is AccountFixture {
    Reverter internal reverter = new Reverter();

    function test_Owner_CallReturnsData() public {
        vm.prank(owner);
        bytes memory ret = account.execute(address(reverter), 1 ether, abi.encodeCall(Reverter.echo, (9)), 0);
        assertEq(abi.decode(ret, (uint256)), 9);
        assertEq(address(reverter).balance, 1 ether);
    }

    function test_RevertWhen_CalleeReverts_Bubbles() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Reverter.Nope.selector, 42));
        account.execute(address(reverter), 0, abi.encodeCall(Reverter.fail, ()), 0);
    }

    function test_Owner_Create() public {
        vm.prank(owner);
        bytes memory ret = account.execute(address(0), 0, type(Deployed).creationCode, 2);
        address created = abi.decode(ret, (address));
        assertEq(Deployed(created).x(), 7);
        assertEq(created, vm.computeCreateAddress(address(account), 1));
    }

    function test_Owner_Create2() public {
        bytes32 salt = keccak256("salt");
        vm.prank(owner);
        bytes memory ret = account.execute(address(0), 0, abi.encodePacked(salt, type(Deployed).creationCode), 3);
        address created = abi.decode(ret, (address));
        assertEq(created, vm.computeCreate2Address(salt, keccak256(type(Deployed).creationCode), address(account)));
        assertEq(Deployed(created).x(), 7);
    }

    function test_RevertWhen_CreateFails() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Executor.Executor_CreateFailed.selector, uint8(2)));
        account.execute(address(0), 0, hex"fe", 2);
        // init code reverting with data bubbles it
        bytes memory initCode = hex"60aa60005260206000fd"; // mstore(0, 0xaa); revert(0, 32)
        vm.prank(owner);
        vm.expectRevert(abi.encode(uint256(0xaa)));
        account.execute(address(0), 0, initCode, 2);
    }

    function test_RevertWhen_Create2WithoutSalt() public {
        vm.prank(owner);
        vm.expectRevert(Executor.Executor_MissingSalt.selector);
        account.execute(address(0), 0, hex"00", 3);
    }

    function test_RevertWhen_DelegateCall() public {
        vm.prank(owner);
        vm.expectRevert(Executor.Executor_DelegateCallRefused.selector);
        account.execute(address(reverter), 0, "", 1);
        grantDefault();
        vm.prank(key);
        vm.expectRevert(Executor.Executor_DelegateCallRefused.selector);
        account.execute(address(token), 0, transferCall(recipient, 1), 1);
    }

    function test_RevertWhen_UnsupportedOperation() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(Executor.Executor_UnsupportedOperation.selector, uint8(4)));
        account.execute(address(reverter), 0, "", 4);
    }

    function test_RevertWhen_CallerIsNeitherOwnerNorSession() public {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NoSession.selector, buyer));
        account.execute(recipient, 1, "", 0);
    }

    function test_Owner_Batch() public {
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(reverter), 0, abi.encodeCall(Reverter.echo, (1)), 0);
        ops[1] = Operation(address(reverter), 0, abi.encodeCall(Reverter.echo, (2)), 0);
        vm.prank(owner);
        bytes[] memory results = account.executeBatch(ops);
        assertEq(abi.decode(results[1], (uint256)), 2);
    }

    function test_Owner_CanCallAccountItself() public {
        // the owner may target the account (e.g. setGuardian is owner-only: msg.sender is the account,
        // so it is refused); calling a view works.
        vm.prank(owner);
        bytes memory ret = account.execute(address(account), 0, abi.encodeWithSignature("owner()"), 0);
        assertEq(abi.decode(ret, (address)), owner);
    }

    function test_RevertWhen_ReenteringThroughMaliciousToken() public {
        ReentrantToken evil = new ReentrantToken();
        evil.mint(address(account), 1000);
        KeyContract keyContract = new KeyContract(account, address(evil), recipient);
        evil.setHook(keyContract, false);
        IAgentAccount.SessionPolicy memory p = emptyPolicy();
        p.calls = new IAgentAccount.CallPermission[](1);
        p.calls[0] = IAgentAccount.CallPermission(address(evil), ERC20.transfer.selector);
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(evil), 10);
        p.counterparties = new address[](1);
        p.counterparties[0] = recipient;
        grant(address(keyContract), p);

        vm.expectRevert(Executor.Executor_Reentered.selector);
        keyContract.go(address(evil), 0, abi.encodeCall(ERC20.transfer, (recipient, 10)));

        // the token swallows the failure: the re-entry still never runs, the budget is charged once
        evil.setHook(keyContract, true);
        keyContract.go(address(evil), 0, abi.encodeCall(ERC20.transfer, (recipient, 10)));
        assertFalse(keyContract.reentered());
        assertEq(account.getTokenSpent(address(keyContract), address(evil)), 10);
        assertEq(evil.balanceOf(recipient), 10);
    }

    function test_RevertWhen_ReenteringThroughNativeReceiver() public {
        KeyContract keyContract = new KeyContract(account, address(token), recipient);
        NativeHook hook = new NativeHook(keyContract);
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.calls[3] = IAgentAccount.CallPermission(address(hook), bytes4(0));
        grant(address(keyContract), p);
        keyContract.go(address(hook), 0.1 ether, "");
        assertTrue(hook.attempted());
        assertFalse(keyContract.reentered());
        assertEq(account.getTokenSpent(address(keyContract), address(token)), 0);
    }
}

contract NativeHook {
    KeyContract internal immutable k;
    bool public attempted;

    constructor(KeyContract k_) {
        k = k_;
    }

    receive() external payable {
        attempted = true;
        try k.reenter() {} catch {}
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {AccountFixture, MockERC20} from "./AccountFixture.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";

contract SessionKeysTest is AccountFixture {
    address internal guardianAddr = makeAddr("guardian");

    // ------------------------------------------------------------ grant / revoke

    function test_Grant_StoresPolicyAndEmits() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        uint256 stateBefore = account.state();
        vm.expectEmit(address(account));
        emit IAgentAccount.SessionGranted(key, owner, p.validAfter, p.validUntil);
        grant(key, p);
        assertEq(account.state(), stateBefore + 1);
        (IAgentAccount.SessionPolicy memory stored, address grantedBy, bool active) = account.getSession(key);
        assertEq(grantedBy, owner);
        assertTrue(active);
        assertEq(stored.validUntil, p.validUntil);
        assertEq(stored.period, PERIOD);
        assertEq(stored.maxCallsPerPeriod, MAX_CALLS);
        assertEq(stored.nativeBudgetPerPeriod, NATIVE_BUDGET);
        assertEq(stored.calls.length, 4);
        assertEq(stored.calls[0].target, address(token));
        assertEq(stored.tokenBudgets[0].amountPerPeriod, TOKEN_BUDGET);
        assertEq(stored.counterparties[1], spender);
    }

    function test_Regrant_ReplacesScopeAndResetsUsage() public {
        grantDefault();
        keyTransfer(recipient, 10e18);
        IAgentAccount.SessionPolicy memory p = emptyPolicy();
        grant(key, p);
        assertEq(account.getSessionUsage(key).calls, 0);
        assertEq(account.getTokenSpent(key, address(token)), 0);
        (IAgentAccount.SessionPolicy memory stored,,) = account.getSession(key);
        assertEq(stored.calls.length, 0);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_CallNotAllowed.selector, key, address(token), ERC20.transfer.selector)
        );
        account.execute(address(token), 0, transferCall(recipient, 1), 0);
    }

    function test_Revoke_BlocksKey() public {
        grantDefault();
        vm.expectEmit(address(account));
        emit IAgentAccount.SessionRevoked(key);
        vm.prank(owner);
        account.revokeSession(key);
        (, address grantedBy, bool active) = account.getSession(key);
        assertEq(grantedBy, address(0));
        assertFalse(active);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NoSession.selector, key));
        keyTransfer(recipient, 1);
    }

    function test_RevertWhen_RevokingUnknownSession() public {
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NoSession.selector, key));
        account.revokeSession(key);
    }

    function test_RevertWhen_GrantByStranger() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotOwnerOrGuardian.selector, key));
        account.grantSession(key, p);
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotOwnerOrGuardian.selector, key));
        account.revokeSession(key);
    }

    function test_RevertWhen_GrantInvalidKey() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        vm.startPrank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidKey.selector, address(0)));
        account.grantSession(address(0), p);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidKey.selector, address(account)));
        account.grantSession(address(account), p);
    }

    function test_RevertWhen_GrantInvalidValidity() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.validUntil = p.validAfter;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidValidity.selector, p.validAfter, p.validUntil));
        account.grantSession(key, p);
        p.validAfter = 0;
        p.validUntil = uint48(block.timestamp - 1);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidValidity.selector, 0, p.validUntil));
        account.grantSession(key, p);
    }

    function test_RevertWhen_GrantZeroPeriod() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.period = 0;
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidPeriod.selector, 0));
        account.grantSession(key, p);
    }

    function test_RevertWhen_GrantSelfPermission() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.calls[3] = IAgentAccount.CallPermission(address(account), SessionKeys.grantSession.selector);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_InvalidPermission.selector, address(account), SessionKeys.grantSession.selector
            )
        );
        account.grantSession(key, p);
    }

    function test_RevertWhen_GrantUnchargeableSelectorOnBudgetedToken() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.calls[3] = IAgentAccount.CallPermission(address(token), MockERC20.transferAndCall.selector);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_InvalidPermission.selector, address(token), MockERC20.transferAndCall.selector
            )
        );
        account.grantSession(key, p);
    }

    function test_RevertWhen_GrantInvalidTokenBudget() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.tokenBudgets[0].token = address(account);
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidTokenBudget.selector, address(account)));
        account.grantSession(key, p);
    }

    // ------------------------------------------------------------ guardian

    function test_Guardian_CanGrantAndRevoke_BoundToOwner() public {
        vm.expectEmit(address(account));
        emit IAgentAccount.GuardianSet(owner, guardianAddr);
        vm.prank(owner);
        account.setGuardian(guardianAddr);
        assertEq(account.guardian(), guardianAddr);
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        vm.prank(guardianAddr);
        account.grantSession(key, p);
        (, address grantedBy,) = account.getSession(key);
        assertEq(grantedBy, owner, "bound to the owner, not the guardian");
        keyTransfer(recipient, 1);
        vm.prank(guardianAddr);
        account.revokeSession(key);
    }

    function test_RevertWhen_GuardianOfPreviousOwner() public {
        vm.prank(owner);
        account.setGuardian(guardianAddr);
        sellNft();
        assertEq(account.guardian(), address(0));
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        vm.prank(guardianAddr);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotOwnerOrGuardian.selector, guardianAddr));
        account.grantSession(key, p);
        vm.prank(guardianAddr);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotOwnerOrGuardian.selector, guardianAddr));
        account.revokeSession(key);
    }

    function test_RevertWhen_SetGuardianByNonOwner() public {
        vm.prank(owner);
        account.setGuardian(guardianAddr);
        vm.prank(guardianAddr);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotOwner.selector, guardianAddr));
        account.setGuardian(guardianAddr);
    }

    // ------------------------------------------------------------ execution by a session key

    /// @dev Behaviour changed deliberately (issue 17): no SessionUsed event is emitted any more (its data is
    /// in the transaction); the charge is checked through the usage views as before.
    function test_Session_TransferChargesBudget() public {
        grantDefault();
        bytes memory ret = keyTransfer(recipient, 100e18);
        assertTrue(abi.decode(ret, (bool)));
        assertEq(token.balanceOf(recipient), 100e18 + 1);
        assertEq(account.getTokenSpent(key, address(token)), 100e18);
        IAgentAccount.SessionUsage memory u = account.getSessionUsage(key);
        assertEq(u.calls, 1);
        assertEq(u.periodStart, uint48(block.timestamp));
    }

    function test_Session_NativeTransfer() public {
        grantDefault();
        uint256 before = recipient.balance;
        vm.prank(key);
        account.execute(recipient, 0.4 ether, "", 0);
        assertEq(recipient.balance, before + 0.4 ether);
        assertEq(account.getSessionUsage(key).nativeSpent, 0.4 ether);
    }

    function test_RevertWhen_NativeBudgetExceeded() public {
        grantDefault();
        vm.prank(key);
        account.execute(recipient, 0.75 ether, "", 0);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(0), 0.5 ether, 0.25 ether)
        );
        account.execute(recipient, 0.5 ether, "", 0);
    }

    function test_RevertWhen_TokenBudgetExceeded() public {
        grantDefault();
        keyTransfer(recipient, TOKEN_BUDGET - 1);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(token), 2, 1)
        );
        keyTransfer(recipient, 2);
    }

    function test_RevertWhen_TokenWithoutBudget() public {
        MockERC20 other = new MockERC20();
        other.mint(address(account), 1e18);
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.calls[3] = IAgentAccount.CallPermission(address(other), ERC20.transfer.selector);
        grant(key, p);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(other), 1, 0)
        );
        account.execute(address(other), 0, transferCall(recipient, 1), 0);
    }

    function test_RevertWhen_CallLimitReached() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.maxCallsPerPeriod = 2;
        grant(key, p);
        keyTransfer(recipient, 1);
        keyTransfer(recipient, 1);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_CallLimitReached.selector, key, 2));
        keyTransfer(recipient, 1);
        vm.warp(block.timestamp + PERIOD);
        keyTransfer(recipient, 1);
    }

    function test_RevertWhen_CounterpartyNotAllowed() public {
        grantDefault();
        address stranger = makeAddr("stranger");
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_CounterpartyNotAllowed.selector, key, address(token), stranger
            )
        );
        keyTransfer(stranger, 1);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_CounterpartyNotAllowed.selector, key, address(token), stranger
            )
        );
        account.execute(address(token), 0, abi.encodeCall(ERC20.approve, (stranger, 1)), 0);
    }

    function test_Approve_And_TransferFrom_Charged() public {
        grantDefault();
        vm.prank(key);
        account.execute(address(token), 0, abi.encodeCall(ERC20.approve, (spender, 300e18)), 0);
        assertEq(account.getTokenSpent(key, address(token)), 300e18);
        // transferFrom: charged and recipient checked, even when pulling from someone else
        vm.prank(recipient);
        token.approve(address(account), 1);
        vm.prank(key);
        account.execute(
            address(token), 0, abi.encodeCall(ERC20.transferFrom, (recipient, spender, 1)), 0
        );
        assertEq(account.getTokenSpent(key, address(token)), 300e18 + 1);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_CounterpartyNotAllowed.selector, key, address(token), address(this)
            )
        );
        account.execute(address(token), 0, abi.encodeCall(ERC20.transferFrom, (recipient, address(this), 1)), 0);
    }

    function test_RevertWhen_MalformedCall() public {
        grantDefault();
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_MalformedCall.selector, key, address(token), ERC20.transfer.selector
            )
        );
        account.execute(address(token), 0, abi.encodePacked(ERC20.transfer.selector, bytes32(uint256(uint160(recipient)))), 0);
        // dirty upper bits in the address word
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_MalformedCall.selector, key, address(token), ERC20.transfer.selector
            )
        );
        account.execute(
            address(token),
            0,
            abi.encodePacked(ERC20.transfer.selector, uint256(uint160(recipient)) | (1 << 200), uint256(1)),
            0
        );
        // 1 to 3 bytes of calldata
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_MalformedCall.selector, key, recipient, bytes4(0)));
        account.execute(recipient, 0, hex"00", 0);
    }

    function test_RevertWhen_CallNotAllowed() public {
        grantDefault();
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_CallNotAllowed.selector, key, spender, bytes4(0))
        );
        account.execute(spender, 1, "", 0);
    }

    function test_RevertWhen_SelfCall() public {
        grantDefault();
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        bytes memory grantData = abi.encodeCall(SessionKeys.grantSession, (key, p));
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_SelfCall.selector, key, SessionKeys.grantSession.selector)
        );
        account.execute(address(account), 0, grantData, 0);
        // execute on itself, nested
        bytes memory nested = abi.encodeWithSignature(
            "execute(address,uint256,bytes,uint8)", address(token), 0, transferCall(recipient, 1), uint8(0)
        );
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_SelfCall.selector, key, bytes4(0x51945447)));
        account.execute(address(account), 0, nested, 0);
        // plain value to itself
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_SelfCall.selector, key, bytes4(0)));
        account.execute(address(account), 1, "", 0);
    }

    function test_RevertWhen_SessionOperationNotCall() public {
        grantDefault();
        for (uint8 op = 2; op <= 3; ++op) {
            vm.prank(key);
            vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_OperationNotAllowed.selector, key, op));
            account.execute(address(token), 0, abi.encodePacked(bytes32(0), hex"00"), op);
        }
    }

    function test_RevertWhen_Expired() public {
        grantDefault();
        (IAgentAccount.SessionPolicy memory p,,) = account.getSession(key);
        vm.warp(uint256(p.validUntil) + 1);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_Expired.selector, key, p.validUntil));
        keyTransfer(recipient, 1);
    }

    function test_RevertWhen_NotYetValid() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.validAfter = uint48(block.timestamp + 100);
        grant(key, p);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_NotYetValid.selector, key, p.validAfter));
        keyTransfer(recipient, 1);
        assertEq(account.getSessionUsage(key).periodStart, 0);
    }

    function test_RevertWhen_OldSessionAfterNftSold() public {
        grantDefault();
        keyTransfer(recipient, 1);
        sellNft();
        (,, bool active) = account.getSession(key);
        assertFalse(active);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_OwnerChanged.selector, key, owner, buyer));
        keyTransfer(recipient, 1);
        // the new owner can revoke it; buying back does not matter for a revoked key
        vm.prank(buyer);
        account.revokeSession(key);
    }

    /// @dev Binding is to the granting owner, not to a holding period: if the same owner gets the token
    /// back, its sessions (and guardian) apply again. A new owner who wants a clean slate revokes.
    function test_SessionAppliesAgainWhenGrantingOwnerBuysBack() public {
        grantDefault();
        sellNft();
        vm.prank(buyer);
        nft.transferFrom(buyer, owner, tokenId);
        keyTransfer(recipient, 1);
        assertEq(account.getTokenSpent(key, address(token)), 1);
    }

    function test_UsageRollsOverAtPeriodBoundary() public {
        grantDefault();
        keyTransfer(recipient, 5);
        vm.prank(key);
        account.execute(recipient, 1 ether, "", 0);
        vm.warp(block.timestamp + PERIOD - 1);
        assertEq(account.getSessionUsage(key).calls, 2);
        vm.warp(block.timestamp + 1);
        IAgentAccount.SessionUsage memory u = account.getSessionUsage(key);
        assertEq(u.calls, 0);
        assertEq(u.nativeSpent, 0);
        assertEq(account.getTokenSpent(key, address(token)), 0);
        vm.prank(key);
        account.execute(recipient, 1 ether, "", 0);
    }

    function test_Batch_ChargesEveryOperation() public {
        grantDefault();
        Operation[] memory ops = new Operation[](3);
        ops[0] = Operation(address(token), 0, transferCall(recipient, 100), 0);
        ops[1] = Operation(recipient, 0.1 ether, "", 0);
        ops[2] = Operation(address(token), 0, transferCall(spender, 200), 0);
        vm.prank(key);
        account.executeBatch(ops);
        assertEq(account.getTokenSpent(key, address(token)), 300);
        assertEq(account.getSessionUsage(key).calls, 3);
        assertEq(account.getSessionUsage(key).nativeSpent, 0.1 ether);
    }

    function test_RevertWhen_BatchContainsOutOfScopeCall() public {
        grantDefault();
        Operation[] memory ops = new Operation[](2);
        ops[0] = Operation(address(token), 0, transferCall(recipient, 100), 0);
        ops[1] = Operation(address(account), 0, abi.encodeCall(SessionKeys.revokeSession, (key)), 0);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_SelfCall.selector, key, SessionKeys.revokeSession.selector)
        );
        account.executeBatch(ops);
        assertEq(account.getTokenSpent(key, address(token)), 0, "all or nothing");
    }

    // ------------------------------------------------------------ fuzz

    function testFuzz_TokenBudget(uint128 budget, uint256 a, uint256 b) public {
        budget = uint128(bound(budget, 1, type(uint128).max));
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.tokenBudgets[0].amountPerPeriod = budget;
        grant(key, p);
        token.mint(address(account), type(uint128).max);
        uint256 cap = budget > type(uint104).max ? type(uint104).max : budget; // enforced cap
        a = bound(a, 0, cap);
        keyTransfer(recipient, a);
        b = bound(b, 0, type(uint256).max - a);
        if (a + b > cap) {
            vm.expectRevert(
                abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(token), b, cap - a)
            );
            keyTransfer(recipient, b);
            assertEq(account.getTokenSpent(key, address(token)), a);
        } else {
            keyTransfer(recipient, b);
            assertEq(account.getTokenSpent(key, address(token)), a + b);
        }
    }

    function test_HugeBudgetsAreCappedNotWrapped() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.tokenBudgets[0].amountPerPeriod = type(uint128).max;
        p.nativeBudgetPerPeriod = type(uint128).max;
        grant(key, p);
        (IAgentAccount.SessionPolicy memory stored,,) = account.getSession(key);
        assertEq(stored.tokenBudgets[0].amountPerPeriod, type(uint128).max, "as granted");
        token.mint(address(account), type(uint128).max);
        keyTransfer(recipient, type(uint104).max);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(token), 1, 0)
        );
        keyTransfer(recipient, 1);
        vm.deal(address(account), uint256(type(uint96).max) + 1);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_BudgetExceeded.selector,
                key,
                address(0),
                uint256(type(uint96).max) + 1,
                uint256(type(uint96).max)
            )
        );
        account.execute(recipient, uint256(type(uint96).max) + 1, "", 0);
    }

    function test_IncreaseAllowanceChargedLikeApprove() public {
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.calls[3] = IAgentAccount.CallPermission(address(token), bytes4(0x39509351));
        grant(key, p);
        bytes memory data = abi.encodeWithSelector(bytes4(0x39509351), spender, uint256(TOKEN_BUDGET) + 1);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(token), uint256(TOKEN_BUDGET) + 1, TOKEN_BUDGET
            )
        );
        account.execute(address(token), 0, data, 0);
    }

    function testFuzz_NativeBudget(uint128 budget, uint256 a, uint256 b) public {
        budget = uint128(bound(budget, 0, 50 ether));
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.nativeBudgetPerPeriod = budget;
        grant(key, p);
        a = bound(a, 0, budget);
        b = bound(b, 0, 100 ether);
        vm.prank(key);
        account.execute(recipient, a, "", 0);
        vm.prank(key);
        if (a + b > budget) {
            vm.expectRevert(
                abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(0), b, budget - a)
            );
        }
        account.execute(recipient, b, "", 0);
    }

    function testFuzz_PeriodsRollOver(uint32 period, uint256 elapsed, uint256 startDelay) public {
        period = uint32(bound(period, 1, 365 days));
        startDelay = bound(startDelay, 0, 10 days);
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.period = period;
        p.validAfter = uint48(block.timestamp + startDelay);
        p.validUntil = uint48(block.timestamp + startDelay + 3 * 365 days);
        grant(key, p);
        vm.warp(p.validAfter);
        keyTransfer(recipient, TOKEN_BUDGET);
        elapsed = bound(elapsed, 0, 2 * 365 days);
        vm.warp(block.timestamp + elapsed);
        uint48 expectedStart = uint48(p.validAfter + (elapsed / period) * period);
        if (elapsed < period) {
            assertEq(account.getTokenSpent(key, address(token)), TOKEN_BUDGET);
            vm.expectRevert(
                abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(token), 1, 0)
            );
            keyTransfer(recipient, 1);
        } else {
            assertEq(account.getTokenSpent(key, address(token)), 0);
            keyTransfer(recipient, TOKEN_BUDGET);
            assertEq(account.getSessionUsage(key).periodStart, expectedStart);
            assertEq(account.getSessionUsage(key).calls, 1);
        }
    }

    function testFuzz_SelectorsOutsidePairsRevert(address target, bytes4 selector, bytes calldata tail) public {
        grantDefault();
        vm.assume(target != address(account));
        bool allowed = (target == address(token)
                && (selector == ERC20.transfer.selector || selector == ERC20.approve.selector
                    || selector == ERC20.transferFrom.selector)) || (target == recipient && selector == bytes4(0));
        vm.assume(!allowed);
        bytes memory data = selector == bytes4(0) ? bytes("") : abi.encodePacked(selector, tail);
        vm.prank(key);
        vm.expectRevert(abi.encodeWithSelector(SessionKeys.SessionKeys_CallNotAllowed.selector, key, target, selector));
        account.execute(target, 0, data, 0);
    }

    function testFuzz_GrantRefusesUnchargeableSelectorsOnBudgetedToken(bytes4 selector) public {
        bool charged = selector == ERC20.transfer.selector || selector == ERC20.approve.selector
            || selector == ERC20.transferFrom.selector || selector == bytes4(0x39509351);
        IAgentAccount.SessionPolicy memory p = defaultPolicy();
        p.calls[3] = IAgentAccount.CallPermission(address(token), selector);
        vm.prank(owner);
        if (!charged) {
            vm.expectRevert(
                abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidPermission.selector, address(token), selector)
            );
        }
        account.grantSession(key, p);
    }

    function testFuzz_Counterparties(address to, uint256 amount) public {
        grantDefault();
        amount = bound(amount, 0, TOKEN_BUDGET);
        vm.assume(to != address(0));
        bool ok = to == recipient || to == spender;
        if (!ok) {
            vm.expectRevert(
                abi.encodeWithSelector(SessionKeys.SessionKeys_CounterpartyNotAllowed.selector, key, address(token), to)
            );
        }
        keyTransfer(to, amount);
    }
}

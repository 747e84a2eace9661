// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";

import {AccountFixture} from "./AccountFixture.sol";
import {ComputeMarket} from "../../src/ComputeMarket.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";

/// @dev Issue 10 item 2, "budgets escape through non-token calls": with the agent's own policy, a
/// stolen key must not be able to pay itself through the market (or any call whose argument decides
/// who gets paid).
contract BudgetEscapeTest is AccountFixture {
    ComputeMarket internal market;
    address internal trustedProvider = makeAddr("trusted provider");

    function setUp() public override {
        super.setUp();
        market = new ComputeMarket(IERC20(address(token)), 1 hours);
        string[] memory models = new string[](1);
        models[0] = "m";
        vm.prank(trustedProvider);
        market.registerProvider("https://p.example", 1, 1, models, "");
    }

    /// @dev The agent's policy (chain/wallet/agentSessionPolicy.ts): approve the token to the market
    /// within a budget, open / top up / close channels with trusted providers.
    function agentPolicy() internal view returns (IAgentAccount.SessionPolicy memory p) {
        p = emptyPolicy();
        p.calls = new IAgentAccount.CallPermission[](5);
        p.calls[0] = IAgentAccount.CallPermission(address(token), ERC20.approve.selector);
        p.calls[1] = IAgentAccount.CallPermission(address(market), market.open.selector);
        p.calls[2] = IAgentAccount.CallPermission(address(market), market.topUp.selector);
        p.calls[3] = IAgentAccount.CallPermission(address(market), market.requestClose.selector);
        p.calls[4] = IAgentAccount.CallPermission(address(market), market.finalize.selector);
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(token), TOKEN_BUDGET);
        p.counterparties = new address[](2);
        p.counterparties[0] = address(market);
        p.counterparties[1] = trustedProvider;
        p.argumentRules = new IAgentAccount.ArgumentRule[](2);
        // open(provider, signer, amount): the provider is a counterparty, the signer the key itself
        p.argumentRules[0] = IAgentAccount.ArgumentRule(address(market), market.open.selector, 0, RULE_COUNTERPARTY);
        p.argumentRules[1] = IAgentAccount.ArgumentRule(address(market), market.open.selector, 1, RULE_SESSION_KEY);
    }

    function keyRuns(address to, bytes memory data) internal returns (bool ok) {
        vm.prank(key);
        (ok,) = address(account).call(abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", to, 0, data, uint8(0)));
    }

    function voucher(uint256 pk, uint256 id, uint256 authorized) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, market.voucherDigest(id, authorized));
        return abi.encodePacked(r, s, v);
    }

    function test_BudgetEscape_StolenKeyCannotOpenAChannelToItself() public {
        grant(key, agentPolicy());
        // The thief registers the stolen key as a provider, opens a channel to itself signed by
        // itself, and redeems the whole period's budget.
        string[] memory models = new string[](1);
        models[0] = "m";
        vm.prank(key);
        market.registerProvider("https://thief.example", 1, 1, models, "");
        keyRuns(address(token), abi.encodeCall(ERC20.approve, (address(market), TOKEN_BUDGET)));
        bool opened = keyRuns(address(market), abi.encodeCall(market.open, (key, key, TOKEN_BUDGET)));
        if (opened) {
            uint256 id = market.channelCount();
            bytes memory sig = voucher(keyPk, id, TOKEN_BUDGET);
            vm.prank(key);
            market.redeem(id, TOKEN_BUDGET, TOKEN_BUDGET, sig);
        }
        assertEq(token.balanceOf(key), 0, "the stolen key paid itself its budget");
    }

    function test_BudgetEscape_ProviderAndSignerAreChecked() public {
        grant(key, agentPolicy());
        address stranger = makeAddr("stranger");
        assertTrue(keyRuns(address(token), abi.encodeCall(ERC20.approve, (address(market), 300))));
        // an untrusted provider
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_ArgumentNotAllowed.selector, key, address(market), market.open.selector, 0, stranger
            )
        );
        account.execute(address(market), 0, abi.encodeCall(market.open, (stranger, key, 100)), 0);
        // a trusted provider, but another signer (whoever signs could pay the provider and collude)
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_ArgumentNotAllowed.selector, key, address(market), market.open.selector, 1, stranger
            )
        );
        account.execute(address(market), 0, abi.encodeCall(market.open, (trustedProvider, stranger, 100)), 0);
        // the allowed shape
        assertTrue(keyRuns(address(market), abi.encodeCall(market.open, (trustedProvider, key, 100))));
        // topUp: only the account's own channels (the market checks the payer), so it cannot redirect
        uint256 id = market.channelCount();
        assertTrue(keyRuns(address(market), abi.encodeCall(market.topUp, (id, 100))));
        token.mint(stranger, 1);
        vm.startPrank(stranger);
        token.approve(address(market), 1);
        id = market.open(trustedProvider, stranger, 1);
        vm.stopPrank();
        assertFalse(keyRuns(address(market), abi.encodeCall(market.topUp, (id, 100))), "topped up a stranger's channel");
        // a malformed call (too short for its rule)
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_MalformedCall.selector, key, address(market), market.open.selector)
        );
        account.execute(address(market), 0, abi.encodePacked(market.open.selector, bytes32(uint256(uint160(trustedProvider)))), 0);
    }

    function test_BudgetEscape_RuleRefusedInValidationToo() public {
        grant(key, agentPolicy());
        bytes memory inner = executeCall(address(market), 0, abi.encodeCall(market.open, (key, key, 1)));
        PackedUserOperation memory op = userOpFor(inner);
        bytes32 hash = signUserOp(op, keyPk);
        vm.prank(address(entryPoint));
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_ArgumentNotAllowed.selector, key, address(market), market.open.selector, 0, key
            )
        );
        account.validateUserOp(op, hash, 0);
    }

    function test_BudgetEscape_AccountRuleForABeneficiary() public {
        // e.g. a vault's stakeFor(beneficiary, amount): the beneficiary must be the account itself
        bytes4 stakeFor = bytes4(keccak256("stakeFor(address,uint256)"));
        address vault = makeAddr("vault");
        IAgentAccount.SessionPolicy memory p = emptyPolicy();
        p.calls = new IAgentAccount.CallPermission[](1);
        p.calls[0] = IAgentAccount.CallPermission(vault, stakeFor);
        p.argumentRules = new IAgentAccount.ArgumentRule[](1);
        p.argumentRules[0] = IAgentAccount.ArgumentRule(vault, stakeFor, 0, RULE_ACCOUNT);
        grant(key, p);
        vm.prank(key);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_ArgumentNotAllowed.selector, key, vault, stakeFor, 0, key)
        );
        account.execute(vault, 0, abi.encodeWithSelector(stakeFor, key, 1), 0);
        vm.prank(key);
        account.execute(vault, 0, abi.encodeWithSelector(stakeFor, address(account), 1), 0); // no code: a no-op call
        (IAgentAccount.SessionPolicy memory granted,,) = account.getSession(key);
        assertEq(granted.argumentRules.length, 1);
        assertEq(granted.argumentRules[0].kind, RULE_ACCOUNT);
    }

    function test_RevertWhen_ArgumentRuleInvalid() public {
        IAgentAccount.SessionPolicy memory p = agentPolicy();
        // on a pair that is not granted
        p.argumentRules[0] = IAgentAccount.ArgumentRule(address(market), market.redeem.selector, 0, RULE_SESSION_KEY);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_InvalidArgumentRule.selector, address(market), market.redeem.selector, 0, RULE_SESSION_KEY
            )
        );
        account.grantSession(key, p);
        // on a charged selector (its counterparty check already applies)
        p.argumentRules[0] = IAgentAccount.ArgumentRule(address(token), ERC20.approve.selector, 0, RULE_SESSION_KEY);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_InvalidArgumentRule.selector, address(token), ERC20.approve.selector, 0, RULE_SESSION_KEY
            )
        );
        account.grantSession(key, p);
        // an unknown kind
        p.argumentRules[0] = IAgentAccount.ArgumentRule(address(market), market.open.selector, 0, 4);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_InvalidArgumentRule.selector, address(market), market.open.selector, 0, 4)
        );
        account.grantSession(key, p);
    }
}

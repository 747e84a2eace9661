// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {console2} from "forge-std/console2.sol";
import {StdInvariant} from "forge-std/StdInvariant.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {IAccountExecute} from "@account-abstraction/contracts/interfaces/IAccountExecute.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";

import {AccountFixture, MockERC20} from "./AccountFixture.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {AgentNFT} from "../../src/AgentNFT.sol";
import {Operation} from "../../src/account/ExecutionLib.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";

/// @dev Random grants (by whoever holds the NFT), NFT sales, user operations with adversarial gas
/// fields through the real EntryPoint v0.7 (the attacker is its own bundler), direct calls and time.
/// Ghosts: the account's value (ETH + EntryPoint deposit) at the start of each period and the most
/// that period's sessions may spend (each key's latest grant, plus every grant made in the period).
contract GasHandler is Test {
    AgentAccount internal immutable account;
    AgentNFT internal immutable nft;
    EntryPoint internal immutable entryPoint;
    MockERC20 internal immutable token;
    uint256 internal immutable tokenId;
    address internal immutable recipient;
    uint48 internal immutable start;
    uint32 internal constant PERIOD = 1 days;
    uint64 internal constant MAX_FEE = 100 gwei;
    address payable internal attacker = payable(makeAddr("attacker-bundler"));

    uint256[3] internal keyPks = [uint256(0xA1), 0xA2, 0xA3];
    address[3] internal holders;

    mapping(address key => uint256) public latestGrant; // allowance + native budget of the key's grant
    mapping(address key => uint256) public grantSale; // sales count when the key was last granted
    uint256 public sales;

    uint256 public window;
    uint256 public windowStartValue;
    uint256 public windowBound;
    uint256 public worstDrop;
    uint256 public staleSuccesses;
    uint256 public userOpsIncluded;
    uint256 public userOpsRefused;

    constructor(
        AgentAccount account_,
        AgentNFT nft_,
        EntryPoint entryPoint_,
        MockERC20 token_,
        uint256 tokenId_,
        address recipient_,
        address[3] memory holders_
    ) {
        account = account_;
        nft = nft_;
        entryPoint = entryPoint_;
        token = token_;
        tokenId = tokenId_;
        recipient = recipient_;
        holders = holders_;
        start = uint48(block.timestamp);
        window = 0;
        windowStartValue = value();
    }

    function value() public view returns (uint256) {
        return address(account).balance + entryPoint.balanceOf(address(account));
    }

    /// @dev Opens the ghost window of the current period (before anything happens in it).
    modifier rolled() {
        _roll();
        _;
        uint256 v = value();
        if (v < windowStartValue && windowStartValue - v > worstDrop) worstDrop = windowStartValue - v;
    }

    function _roll() internal {
        uint256 w = (block.timestamp - start) / PERIOD;
        if (w == window) return;
        window = w;
        windowStartValue = value();
        windowBound = 0;
        for (uint256 i; i < 3; ++i) {
            windowBound += latestGrant[vm.addr(keyPks[i])];
        }
    }

    function grant(uint256 keySeed, uint256 allowance, uint256 native) external rolled {
        address key = vm.addr(keyPks[keySeed % 3]);
        IAgentAccount.SessionPolicy memory p;
        p.validAfter = start;
        p.validUntil = start + 3650 days;
        p.period = PERIOD;
        p.maxCallsPerPeriod = 1000;
        p.nativeBudgetPerPeriod = uint128(bound(native, 0, 0.5 ether));
        p.gasAllowance = uint128(bound(allowance, 0, 1 ether));
        p.maxFeePerGas = MAX_FEE;
        p.calls = new IAgentAccount.CallPermission[](2);
        p.calls[0] = IAgentAccount.CallPermission(recipient, bytes4(0));
        p.calls[1] = IAgentAccount.CallPermission(address(token), ERC20.transfer.selector);
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(token), 1e24);
        p.counterparties = new address[](1);
        p.counterparties[0] = recipient;
        vm.prank(nft.ownerOf(tokenId));
        account.grantSession(key, p);
        uint256 total = uint256(p.nativeBudgetPerPeriod) + p.gasAllowance;
        latestGrant[key] = total;
        grantSale[key] = sales;
        windowBound += total;
    }

    function sell(uint256 toSeed) external rolled {
        address from = nft.ownerOf(tokenId);
        address to = holders[toSeed % 3];
        if (to == from) return;
        vm.prank(from);
        nft.transferFrom(from, to, tokenId);
        ++sales;
    }

    function userOp(
        uint256 keySeed,
        uint256 kind,
        uint256 amount,
        uint256 preVerificationGas,
        uint256 verificationGas,
        uint256 callGas,
        uint256 fee,
        uint256 laneShift
    ) external rolled {
        uint256 pk = keyPks[keySeed % 3];
        address key = vm.addr(pk);
        PackedUserOperation memory op;
        op.sender = address(account);
        op.nonce = entryPoint.getNonce(address(account), _lane(keySeed, laneShift));
        op.callData = abi.encodePacked(IAccountExecute.executeUserOp.selector, _inner(kind, amount, key));
        op.accountGasLimits =
            bytes32((bound(verificationGas, 60_000, 2_000_000) << 128) | bound(callGas, 0, callGas % 2 == 0 ? 2_000_000 : 100_000));
        op.preVerificationGas = bound(preVerificationGas, 0, preVerificationGas % 3 == 0 ? 5_000_000 : 200_000);
        uint256 maxFee = bound(fee, 0, fee % 3 == 0 ? 2 * uint256(MAX_FEE) : uint256(MAX_FEE) / 10);
        op.gasFees = bytes32((maxFee << 128) | maxFee);
        _sign(op, pk);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        vm.fee(maxFee / 2);
        vm.prank(attacker, attacker);
        try entryPoint.handleOps(ops, attacker) {
            ++userOpsIncluded;
            if (grantSale[key] != sales) ++staleSuccesses;
        } catch {
            ++userOpsRefused;
        }
    }

    function _sign(PackedUserOperation memory op, uint256 pk) internal view {
        bytes32 hash = entryPoint.getUserOpHash(op);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, MessageHashUtils.toEthSignedMessageHash(hash));
        op.signature = abi.encodePacked(vm.addr(pk), r, s, v);
    }

    /// @dev Mostly the key's own lane; sometimes another key's.
    function _lane(uint256 keySeed, uint256 laneShift) internal view returns (uint192) {
        uint256 which = laneShift % 5 == 0 ? keySeed + 1 : keySeed;
        return account.sessionNonceKey(vm.addr(keyPks[which % 3]));
    }

    /// @dev An empty batch, a native payment, an allowed transfer, or a call that reverts in execution.
    function _inner(uint256 kind, uint256 amount, address key) internal view returns (bytes memory) {
        kind %= 4;
        if (kind == 0) {
            return abi.encodeWithSignature("executeBatch((address,uint256,bytes,uint8)[])", new Operation[](0));
        }
        if (kind == 1) {
            return abi.encodeWithSignature(
                "execute(address,uint256,bytes,uint8)", recipient, bound(amount, 0, 0.6 ether), "", uint8(0)
            );
        }
        address to = kind == 2 ? recipient : key; // the key itself is no counterparty
        return abi.encodeWithSignature(
            "execute(address,uint256,bytes,uint8)", address(token), 0, abi.encodeCall(ERC20.transfer, (to, 1)), uint8(0)
        );
    }

    function direct(uint256 keySeed, uint256 amount) external rolled {
        vm.prank(vm.addr(keyPks[keySeed % 3]));
        try account.execute(recipient, bound(amount, 0, 0.6 ether), "", 0) {} catch {}
    }

    function emptyBatch(uint256 keySeed) external rolled {
        vm.prank(vm.addr(keyPks[keySeed % 3]));
        try account.executeBatch(new Operation[](0)) {
            ++staleSuccesses; // must never happen
        } catch {}
    }

    function warp(uint256 dt) external {
        vm.warp(block.timestamp + bound(dt, 1, 2 * PERIOD));
        _roll();
    }
}

contract GasInvariantsTest is StdInvariant, AccountFixture {
    GasHandler internal handler;

    function setUp() public override {
        super.setUp();
        vm.prank(owner);
        account.execute(address(entryPoint), 5 ether, "", 0); // a deposit the keys must not drain either
        handler = new GasHandler(
            account, nft, entryPoint, token, tokenId, recipient, [owner, buyer, makeAddr("second buyer")]
        );
        targetContract(address(handler));
    }

    function afterInvariant() public view {
        console2.log("user operations included", handler.userOpsIncluded());
        console2.log("user operations refused", handler.userOpsRefused());
        console2.log("worst drop in a period", handler.worstDrop());
    }

    /// @dev Within any period the account's ETH + deposit never falls by more than the gas allowances
    /// plus native budgets its sessions had in that period.
    function invariant_GasIsValue_AccountValueFallsNoFasterThanAllowances() public view {
        uint256 v = handler.value();
        uint256 startValue = handler.windowStartValue();
        if (v < startValue) assertLe(startValue - v, handler.windowBound());
    }

    /// @dev A key granted before the latest sale never gets a user operation included; nobody runs an
    /// empty batch.
    function invariant_GasIsValue_StaleKeysNeverIncluded() public view {
        assertEq(handler.staleSuccesses(), 0);
    }
}

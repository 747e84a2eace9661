// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";
import {EntryPoint} from "@account-abstraction/contracts/core/EntryPoint.sol";
import {AgentNFT} from "../../src/AgentNFT.sol";
import {AgentAccount} from "../../src/account/AgentAccount.sol";
import {SessionKeys} from "../../src/account/SessionKeys.sol";
import {IAgentAccount} from "../../src/interfaces/IAgentAccount.sol";
import {IERC6551Registry} from "../../src/erc6551/IERC6551Registry.sol";
import {
    DETERMINISTIC_DEPLOYER,
    DETERMINISTIC_DEPLOYER_RUNTIME_CODE,
    ERC6551_REGISTRY_ADDRESS,
    ERC6551_REGISTRY_SALT,
    ERC6551_REGISTRY_INIT_CODE
} from "../../src/erc6551/ERC6551RegistryDeployment.sol";
import {YieldConverter} from "../../src/conversion/YieldConverter.sol";
import {AggregatorV3Interface} from "../../src/interfaces/AggregatorV3Interface.sol";
import {ISwapRouterMinimal} from "../../src/interfaces/IUniswapV3Minimal.sol";
import {ConversionFixture} from "./ConversionFixture.sol";

/// @dev The harvest-and-swap under attack: sandwiches, a flash-moved pool, a stale oracle.
contract ConversionAttacksTest is ConversionFixture {
    address internal attacker = makeAddr("attacker");
    uint256 internal yieldIn;

    function setUp() public override {
        super.setUp();
        _stakeEth(alice, 100 ether);
        vm.warp(block.timestamp + 365 days);
        yieldIn = vault.harvest(); // ~3 WETH waiting in the converter
        _refreshFeed();
    }

    /// @dev Front-run (sell WETH), the victim's conversion, back-run (sell the USDx back): the TBA
    /// loses at most the bound against the oracle, or the conversion refuses and nothing moves.
    function testFuzz_SandwichExtractsAtMostTheBound(uint256 frontRun, bool sellWeth) public {
        frontRun = bound(frontRun, 0.01 ether, 200 ether);
        address tokenIn = sellWeth ? address(weth) : address(usdx);
        uint256 amountIn = sellWeth ? frontRun : _oracleValue(frontRun);
        uint256 got = _swap(attacker, tokenIn, amountIn);

        uint256 oracleOut = _oracleValue(yieldIn);
        try converter.convert() returns (uint256 out) {
            assertEq(usdx.balanceOf(tba), out);
            assertGe(out, oracleOut * (10_000 - SLIPPAGE_BPS) / 10_000, "extracted more than the bound");
        } catch {
            assertEq(usdx.balanceOf(tba), 0);
            assertEq(weth.balanceOf(address(converter)), yieldIn, "a refusal moved the yield");
        }
        _swap(attacker, sellWeth ? address(usdx) : address(weth), got); // back-run
    }

    /// @dev A pool moved 10%+ in one transaction (a flash loan's swap) is refused before any swap.
    function test_RevertWhen_PoolFlashMovedDown() public {
        _swap(attacker, address(weth), 60 ether);
        (uint256 oracleOut,, uint256 spotOut) = converter.quote(yieldIn);
        vm.expectRevert(
            abi.encodeWithSelector(YieldConverter.YieldConverter_PoolOff.selector, spotOut, oracleOut, SLIPPAGE_BPS)
        );
        converter.convert();
        assertEq(weth.balanceOf(address(converter)), yieldIn);
        assertEq(usdx.balanceOf(tba), 0);
    }

    /// @dev The other way too (the attacker would sell the TBA's USDx back dearer): conservative.
    function test_RevertWhen_PoolFlashMovedUp() public {
        _swap(attacker, address(usdx), 200_000e6);
        vm.expectPartialRevert(YieldConverter.YieldConverter_PoolOff.selector);
        converter.convert();
        assertEq(weth.balanceOf(address(converter)), yieldIn);
    }

    /// @dev Once the pool is back, the waiting yield converts: refusing lost nothing.
    function test_RefusedYieldConvertsWhenThePoolIsBack() public {
        uint256 got = _swap(attacker, address(weth), 60 ether);
        vm.expectPartialRevert(YieldConverter.YieldConverter_PoolOff.selector);
        converter.convert();
        _swap(attacker, address(usdx), got);
        uint256 out = converter.convert();
        assertGe(out, _oracleValue(yieldIn) * (10_000 - SLIPPAGE_BPS) / 10_000);
    }

    /// @dev A feed not updated within the bound refuses, even at the right price.
    function test_RevertWhen_OracleStale() public {
        (,,, uint256 updatedAt,) = feed.latestRoundData();
        vm.warp(block.timestamp + ORACLE_AGE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(YieldConverter.YieldConverter_StaleOracle.selector, updatedAt, ORACLE_AGE)
        );
        converter.convert();
        assertEq(weth.balanceOf(address(converter)), yieldIn);
        _refreshFeed();
        assertGt(converter.convert(), 0);
    }

    /// @dev A large conversion into a thin pool would lose more than the bound to price impact:
    /// the swap's minimum out refuses it (the spot price itself is fine).
    function test_RevertWhen_PriceImpactAboveTheBound() public {
        _wethTo(address(converter), 40 ether); // a donation: now ~43 WETH into a 1,000 WETH pool
        vm.expectRevert();
        converter.convert();
        assertEq(usdx.balanceOf(tba), 0);
    }
}

/// @dev A stolen session key of the TBA: its policy lets it harvest and convert, nothing that swaps
/// to another recipient or spends beyond its budget.
contract StolenSessionKeyConversionTest is ConversionFixture {
    AgentAccount internal account;
    YieldConverter internal tbaConverter;
    uint256 internal keyPk = 0x5E55;
    address internal key;
    address internal thief = makeAddr("thief");
    address internal provider = makeAddr("provider");
    uint128 internal constant USDX_BUDGET = 100e6;

    function setUp() public override {
        super.setUp();
        key = vm.addr(keyPk);
        IERC6551Registry registry = _registry();
        AgentAccount implementation = new AgentAccount(IEntryPoint(address(new EntryPoint())));
        AgentNFT nft = new AgentNFT(address(this), address(implementation), bytes32(0));
        uint256 id = nft.mint(owner);
        account = AgentAccount(
            payable(registry.createAccount(address(implementation), bytes32(0), block.chainid, address(nft), id))
        );
        tbaConverter = new YieldConverter(
            IERC20(address(weth)),
            IERC20(address(usdx)),
            router,
            pool,
            AggregatorV3Interface(address(feed)),
            address(account),
            SLIPPAGE_BPS,
            ORACLE_AGE,
            owner
        );
        vm.prank(owner);
        account.grantSession(key, _agentPolicy());
        vm.prank(owner);
        usdx.mint(address(account), 1_000e6);
        _wethTo(address(account), 5 ether);
        _wethTo(address(tbaConverter), 2 ether);
    }

    /// @dev What the daemon grants: convert, and the payment token to the provider within a budget.
    function _agentPolicy() internal view returns (IAgentAccount.SessionPolicy memory p) {
        p.validAfter = uint48(block.timestamp);
        p.validUntil = uint48(block.timestamp + 30 days);
        p.period = 1 days;
        p.maxCallsPerPeriod = 20;
        p.calls = new IAgentAccount.CallPermission[](2);
        p.calls[0] = IAgentAccount.CallPermission(address(tbaConverter), YieldConverter.convert.selector);
        p.calls[1] = IAgentAccount.CallPermission(address(usdx), ERC20.transfer.selector);
        p.tokenBudgets = new IAgentAccount.TokenBudget[](1);
        p.tokenBudgets[0] = IAgentAccount.TokenBudget(address(usdx), USDX_BUDGET);
        p.counterparties = new address[](1);
        p.counterparties[0] = provider;
    }

    function _registry() internal returns (IERC6551Registry) {
        if (ERC6551_REGISTRY_ADDRESS.code.length == 0) {
            vm.etch(DETERMINISTIC_DEPLOYER, DETERMINISTIC_DEPLOYER_RUNTIME_CODE);
            (bool ok,) = DETERMINISTIC_DEPLOYER.call(abi.encodePacked(ERC6551_REGISTRY_SALT, ERC6551_REGISTRY_INIT_CODE));
            require(ok, "registry");
        }
        return IERC6551Registry(ERC6551_REGISTRY_ADDRESS);
    }

    function test_KeyConvertsOnlyIntoTheTba() public {
        vm.prank(key);
        account.execute(address(tbaConverter), 0, abi.encodeCall(YieldConverter.convert, ()), 0);
        assertGe(usdx.balanceOf(address(account)), 1_000e6 + _oracleValue(2 ether) * 99 / 100);
        assertEq(usdx.balanceOf(thief), 0);
        assertEq(weth.balanceOf(thief), 0);
    }

    function test_RevertWhen_KeySwapsThroughTheRouterToItself() public {
        ISwapRouterMinimal.ExactInputSingleParams memory params = ISwapRouterMinimal.ExactInputSingleParams({
            tokenIn: address(weth),
            tokenOut: address(usdx),
            fee: FEE,
            recipient: thief,
            deadline: block.timestamp,
            amountIn: 5 ether,
            amountOutMinimum: 0,
            sqrtPriceLimitX96: 0
        });
        bytes memory swap = abi.encodeCall(ISwapRouterMinimal.exactInputSingle, (params));
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_CallNotAllowed.selector,
                key,
                address(router),
                ISwapRouterMinimal.exactInputSingle.selector
            )
        );
        vm.prank(key);
        account.execute(address(router), 0, swap, 0);
    }

    function test_RevertWhen_KeyApprovesTheRouter() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                SessionKeys.SessionKeys_CallNotAllowed.selector, key, address(weth), ERC20.approve.selector
            )
        );
        vm.prank(key);
        account.execute(address(weth), 0, abi.encodeCall(ERC20.approve, (address(router), 5 ether)), 0);
    }

    function test_RevertWhen_KeyTransfersToItself() public {
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_CounterpartyNotAllowed.selector, key, address(usdx), thief)
        );
        vm.prank(key);
        account.execute(address(usdx), 0, abi.encodeCall(ERC20.transfer, (thief, 1e6)), 0);
    }

    function test_RevertWhen_KeySpendsConvertedUsdxBeyondBudget() public {
        vm.prank(key);
        account.execute(address(tbaConverter), 0, abi.encodeCall(YieldConverter.convert, ()), 0);
        vm.prank(key);
        account.execute(address(usdx), 0, abi.encodeCall(ERC20.transfer, (provider, USDX_BUDGET)), 0);
        vm.expectRevert(
            abi.encodeWithSelector(SessionKeys.SessionKeys_BudgetExceeded.selector, key, address(usdx), 1, 0)
        );
        vm.prank(key);
        account.execute(address(usdx), 0, abi.encodeCall(ERC20.transfer, (provider, 1)), 0);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test, console} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ComputeMarket} from "../../src/ComputeMarket.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {MockUSD} from "./utils/MockUSD.sol";
import {MarketHandler} from "./utils/MarketHandler.sol";

contract InvariantsTest is Test {
    MockUSD internal token;
    ComputeMarket internal market;
    MarketHandler internal handler;

    function setUp() public {
        token = new MockUSD();
        market = new ComputeMarket(IERC20(address(token)), 1 days);
        handler = new MarketHandler(market, token);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](9);
        selectors[0] = MarketHandler.open.selector;
        selectors[1] = MarketHandler.topUp.selector;
        selectors[2] = MarketHandler.sign.selector;
        selectors[3] = MarketHandler.redeem.selector;
        selectors[4] = MarketHandler.redeemMany.selector;
        selectors[5] = MarketHandler.requestClose.selector;
        selectors[6] = MarketHandler.warp.selector;
        selectors[7] = MarketHandler.finalize.selector;
        selectors[8] = MarketHandler.closeCooperatively.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// A provider never receives more than the highest authorization signed for a channel nor more than its deposit,
    /// and what it received is exactly what the channel records as redeemed.
    function invariant_ProviderNeverExceedsAuthorization() public view {
        uint256 n = handler.channelCount();
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.channelIds(i);
            IComputeMarket.Channel memory c = market.getChannel(id);
            assertLe(c.redeemed, handler.maxSigned(id), "redeemed > highest signed authorization");
            assertLe(c.redeemed, c.deposit, "redeemed > deposit");
            assertEq(handler.ghostPaid(id), c.redeemed, "provider paid != redeemed");
        }
    }

    /// The market holds exactly the unredeemed deposits of channels not yet closed.
    function invariant_MarketBalanceEqualsEscrow() public view {
        uint256 n = handler.channelCount();
        uint256 escrow;
        for (uint256 i; i < n; ++i) {
            IComputeMarket.Channel memory c = market.getChannel(handler.channelIds(i));
            if (!c.closed) escrow += c.deposit - c.redeemed;
        }
        assertEq(token.balanceOf(address(market)), escrow);
    }

    /// Per channel: paid to provider + refunded to payer + still escrowed == deposit.
    function invariant_DepositConserved() public view {
        uint256 n = handler.channelCount();
        for (uint256 i; i < n; ++i) {
            uint256 id = handler.channelIds(i);
            IComputeMarket.Channel memory c = market.getChannel(id);
            uint256 escrowed = c.closed ? 0 : c.deposit - c.redeemed;
            assertEq(handler.ghostPaid(id) + handler.ghostRefunded(id) + escrowed, c.deposit, "deposit not conserved");
            if (!c.closed) assertEq(handler.ghostRefunded(id), 0, "refund before close");
        }
    }

    /// Every token minted is held by a payer, a provider or the market: nothing is created or lost.
    function invariant_TokensConserved() public view {
        uint256 total = token.balanceOf(address(market));
        for (uint256 i; i < handler.payerCount(); ++i) {
            total += token.balanceOf(handler.payers(i));
        }
        for (uint256 i; i < handler.providerCount(); ++i) {
            total += token.balanceOf(handler.providers(i));
        }
        assertEq(total, handler.ghostMinted());
    }

    /// Logs how often each action ran and succeeded (run with -vv to see it).
    function afterInvariant() external view {
        string[15] memory names = [
            "open",
            "topUp",
            "topUp.ok",
            "sign",
            "redeem",
            "redeem.ok",
            "redeemMany",
            "redeemMany.ok",
            "requestClose",
            "requestClose.ok",
            "warp",
            "finalize",
            "finalize.ok",
            "closeCooperatively",
            "closeCooperatively.ok"
        ];
        for (uint256 i; i < names.length; ++i) {
            console.log(names[i], handler.calls(bytes32(bytes(names[i]))));
        }
    }
}

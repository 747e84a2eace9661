// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console} from "forge-std/Test.sol";
import {MarketBase} from "./utils/MarketBase.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";

/// @notice Gas of the hot paths, measured around the external call in a fresh transaction (cold storage, as on
/// chain; intrinsic and calldata gas excluded). Steady state: provider, payer and market already hold tokens.
/// Run with `forge test --match-path test/market/Gas.t.sol -vv` to print.
contract GasTest is MarketBase {
    uint256 internal constant BATCH = 10;
    uint256[] internal ids;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < BATCH; ++i) {
            ids.push(_open(100e6));
        }
        token.mint(provider, 1); // provider balance already non-zero, as for any working provider
    }

    function test_Gas_Open() public {
        vm.prank(payer);
        uint256 g = gasleft();
        market.open(provider, signer, 100e6);
        console.log("open", g - gasleft());
    }

    function test_Gas_TopUp() public {
        vm.prank(payer);
        uint256 g = gasleft();
        market.topUp(ids[0], 100e6);
        console.log("topUp", g - gasleft());
    }

    function test_Gas_Redeem() public {
        bytes memory sig = _sign(signerPk, ids[0], 10e6);
        vm.prank(provider);
        uint256 g = gasleft();
        market.redeem(ids[0], 10e6, 10e6, sig);
        console.log("redeem (first on channel)", g - gasleft());
    }

    function test_Gas_RedeemAgain() public {
        _redeem(ids[0], 5e6, 5e6);
        bytes memory sig = _sign(signerPk, ids[0], 10e6);
        vm.prank(provider);
        uint256 g = gasleft();
        market.redeem(ids[0], 10e6, 10e6, sig);
        console.log("redeem (warm, in same tx)", g - gasleft());
    }

    function test_Gas_RedeemMany10() public {
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](BATCH);
        for (uint256 i; i < BATCH; ++i) {
            rs[i] = IComputeMarket.Redemption(ids[i], 10e6, 10e6, _sign(signerPk, ids[i], 10e6));
        }
        vm.prank(provider);
        uint256 g = gasleft();
        market.redeemMany(rs);
        uint256 used = g - gasleft();
        console.log("redeemMany x10 total", used);
        console.log("redeemMany per channel", used / BATCH);
    }

    function test_Gas_RequestCloseAndFinalize() public {
        vm.prank(payer);
        uint256 g = gasleft();
        market.requestClose(ids[0]);
        console.log("requestClose", g - gasleft());
        vm.warp(block.timestamp + PERIOD + 1);
        g = gasleft();
        market.finalize(ids[0]);
        console.log("finalize (warm)", g - gasleft());
    }

    function test_Gas_CloseCooperatively() public {
        bytes memory sig = _sign(signerPk, ids[0], 10e6);
        vm.prank(provider);
        uint256 g = gasleft();
        market.closeCooperatively(ids[0], 10e6, 10e6, sig);
        console.log("closeCooperatively", g - gasleft());
    }
}

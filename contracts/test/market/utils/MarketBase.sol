// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ComputeMarket} from "../../../src/ComputeMarket.sol";
import {IComputeMarket} from "../../../src/interfaces/IComputeMarket.sol";
import {MockUSD} from "./MockUSD.sol";

/// @notice Shared fixture: a market over a 6-decimal token, one registered provider, one funded payer.
abstract contract MarketBase is Test {
    uint64 internal constant PERIOD = 1 days;
    uint256 internal constant FUNDS = 1_000_000e6;

    MockUSD internal token;
    ComputeMarket internal market;
    address internal provider = makeAddr("provider");
    address internal payer = makeAddr("payer");
    address internal signer;
    uint256 internal signerPk;

    function setUp() public virtual {
        token = new MockUSD();
        market = new ComputeMarket(IERC20(address(token)), PERIOD);
        (signer, signerPk) = makeAddrAndKey("signer");
        _register(provider);
        _fund(payer, FUNDS);
    }

    function _models(string memory a) internal pure returns (string[] memory models) {
        models = new string[](1);
        models[0] = a;
    }

    function _register(address who) internal {
        vm.prank(who);
        market.registerProvider("https://provider.example/v1", 1e6, 2e6, _models("llama-3.1-8b"), "{}");
    }

    function _fund(address who, uint256 amount) internal {
        token.mint(who, amount);
        vm.prank(who);
        token.approve(address(market), type(uint256).max);
    }

    function _open(uint256 amount) internal returns (uint256 id) {
        vm.prank(payer);
        id = market.open(provider, signer, amount);
    }

    function _sign(uint256 pk, uint256 id, uint256 authorized) internal view returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, market.voucherDigest(id, authorized));
        return abi.encodePacked(r, s, v);
    }

    function _redeem(uint256 id, uint256 amount, uint256 authorized) internal {
        bytes memory sig = _sign(signerPk, id, authorized);
        vm.prank(provider);
        market.redeem(id, amount, authorized, sig);
    }

    function _channel(uint256 id) internal view returns (IComputeMarket.Channel memory) {
        return market.getChannel(id);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {MarketBase} from "./utils/MarketBase.sol";
import {IComputeMarket} from "../../src/interfaces/IComputeMarket.sol";
import {ProviderRegistry} from "../../src/market/ProviderRegistry.sol";

contract RegistryTest is MarketBase {
    address internal other = makeAddr("other");

    function test_Register_StoresTermsAndLists() public {
        string[] memory models = new string[](2);
        models[0] = "a";
        models[1] = "b";
        vm.expectEmit(address(market));
        emit IComputeMarket.ProviderRegistered(other, "https://o", 3, 4);
        vm.prank(other);
        market.registerProvider("https://o", 3, 4, models, "meta");

        IComputeMarket.Provider memory p = market.getProvider(other);
        assertEq(p.endpoint, "https://o");
        assertEq(p.priceInPerMTok, 3);
        assertEq(p.priceOutPerMTok, 4);
        assertEq(p.models.length, 2);
        assertEq(p.models[1], "b");
        assertEq(p.metadata, "meta");
        assertTrue(p.active);
        address[] memory all = market.getProviders();
        assertEq(all.length, 2);
        assertEq(all[1], other);
    }

    function test_Register_IsIdempotentAndListsOnce() public {
        _register(provider);
        _register(provider);
        assertEq(market.getProviders().length, 1);
    }

    function test_Update_ReplacesTermsAndModels() public {
        string[] memory models = new string[](0);
        vm.expectEmit(address(market));
        emit IComputeMarket.ProviderUpdated(provider, "https://new", 7, 8);
        vm.prank(provider);
        market.updateProvider("https://new", 7, 8, models, "");
        IComputeMarket.Provider memory p = market.getProvider(provider);
        assertEq(p.endpoint, "https://new");
        assertEq(p.priceInPerMTok, 7);
        assertEq(p.models.length, 0);
        assertTrue(p.active);
    }

    function test_Deregister_KeepsListedInactive_RegisterReactivates() public {
        vm.expectEmit(address(market));
        emit IComputeMarket.ProviderDeregistered(provider);
        vm.prank(provider);
        market.deregisterProvider();
        assertFalse(market.getProvider(provider).active);
        assertEq(market.getProviders().length, 1);

        vm.prank(provider);
        market.updateProvider("https://still", 1, 1, _models("m"), "");
        assertFalse(market.getProvider(provider).active);

        _register(provider);
        assertTrue(market.getProvider(provider).active);
        assertEq(market.getProviders().length, 1);
    }

    function test_Deregister_OpenChannelsKeepWorking() public {
        uint256 id = _open(100e6);
        vm.prank(provider);
        market.deregisterProvider();
        _redeem(id, 10e6, 10e6);
        assertEq(token.balanceOf(provider), 10e6);
    }

    function test_GetProvider_UnknownIsEmpty() public view {
        IComputeMarket.Provider memory p = market.getProvider(other);
        assertEq(bytes(p.endpoint).length, 0);
        assertFalse(p.active);
    }

    function test_Register_AcceptsBounds() public {
        string[] memory models = new string[](market.MAX_MODELS());
        for (uint256 i; i < models.length; ++i) {
            models[i] = string(new bytes(market.MAX_MODEL_LENGTH()));
        }
        string memory endpoint = string(new bytes(market.MAX_ENDPOINT_LENGTH()));
        string memory metadata = string(new bytes(market.MAX_METADATA_LENGTH()));
        vm.prank(other);
        market.registerProvider(endpoint, type(uint128).max, type(uint128).max, models, metadata);
        assertEq(market.getProvider(other).models.length, market.MAX_MODELS());
    }

    function test_RevertWhen_EndpointEmpty() public {
        vm.expectRevert(ProviderRegistry.ComputeMarket_EmptyEndpoint.selector);
        vm.prank(other);
        market.registerProvider("", 1, 1, _models("m"), "");
    }

    function test_RevertWhen_EndpointTooLong() public {
        uint256 max = market.MAX_ENDPOINT_LENGTH();
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_StringTooLong.selector, 0, max + 1, max));
        vm.prank(other);
        market.registerProvider(string(new bytes(max + 1)), 1, 1, _models("m"), "");
    }

    function test_RevertWhen_ModelNameTooLong() public {
        uint256 max = market.MAX_MODEL_LENGTH();
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_StringTooLong.selector, 1, max + 1, max));
        vm.prank(other);
        market.registerProvider("https://o", 1, 1, _models(string(new bytes(max + 1))), "");
    }

    function test_RevertWhen_MetadataTooLong() public {
        uint256 max = market.MAX_METADATA_LENGTH();
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_StringTooLong.selector, 2, max + 1, max));
        vm.prank(other);
        market.registerProvider("https://o", 1, 1, _models("m"), string(new bytes(max + 1)));
    }

    function test_RevertWhen_TooManyModels() public {
        uint256 max = market.MAX_MODELS();
        string[] memory models = new string[](max + 1);
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_TooManyModels.selector, max + 1, max));
        vm.prank(other);
        market.registerProvider("https://o", 1, 1, models, "");
    }

    function test_RevertWhen_ModelEmpty() public {
        string[] memory models = new string[](2);
        models[0] = "ok";
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_EmptyModel.selector, 1));
        vm.prank(other);
        market.registerProvider("https://o", 1, 1, models, "");
    }

    function test_RevertWhen_UpdateNotRegistered() public {
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_NotRegistered.selector, other));
        vm.prank(other);
        market.updateProvider("https://o", 1, 1, _models("m"), "");
    }

    function test_RevertWhen_DeregisterNotActive() public {
        vm.expectRevert(abi.encodeWithSelector(ProviderRegistry.ComputeMarket_ProviderNotActive.selector, other));
        vm.prank(other);
        market.deregisterProvider();
    }

    function testFuzz_Register_Prices(uint128 priceIn, uint128 priceOut) public {
        vm.prank(other);
        market.registerProvider("https://o", priceIn, priceOut, _models("m"), "");
        IComputeMarket.Provider memory p = market.getProvider(other);
        assertEq(p.priceInPerMTok, priceIn);
        assertEq(p.priceOutPerMTok, priceOut);
    }
}

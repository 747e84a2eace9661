// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {ComputeMarket} from "../../../src/ComputeMarket.sol";
import {IComputeMarket} from "../../../src/interfaces/IComputeMarket.sol";
import {MockUSD} from "./MockUSD.sol";

/// @notice Drives the market through random opens, top-ups, vouchers (rising and falling authorizations, some from
/// the wrong key), redeems, batches, close requests, warps, finalizes and cooperative closes, and keeps ghost
/// accounting for the invariants.
contract MarketHandler is Test {
    struct Voucher {
        uint256 authorized;
        bytes signature;
    }

    ComputeMarket internal immutable market;
    MockUSD internal immutable token;

    address[] public payers;
    address[] public providers;
    uint256[] internal signerPks;
    uint256 internal strangerPk;
    uint256[] public channelIds;
    uint256 public currentTime;

    mapping(uint256 channelId => Voucher[]) internal vouchers;
    /// Highest `authorized` the channel's real signer ever signed.
    mapping(uint256 channelId => uint256) public maxSigned;
    /// Paid to the provider, measured as its balance change around each call.
    mapping(uint256 channelId => uint256) public ghostPaid;
    /// Refunded to the payer, measured as its balance change around each call.
    mapping(uint256 channelId => uint256) public ghostRefunded;
    uint256 public ghostMinted;
    mapping(bytes32 => uint256) public calls;

    constructor(ComputeMarket market_, MockUSD token_) {
        market = market_;
        token = token_;
        currentTime = block.timestamp;
        for (uint256 i; i < 3; ++i) {
            address p = makeAddr(string.concat("payer", vm.toString(i)));
            payers.push(p);
            vm.prank(p);
            token.approve(address(market), type(uint256).max);
            (, uint256 pk) = makeAddrAndKey(string.concat("signer", vm.toString(i)));
            signerPks.push(pk);
        }
        (, strangerPk) = makeAddrAndKey("stranger");
        for (uint256 i; i < 2; ++i) {
            address p = makeAddr(string.concat("provider", vm.toString(i)));
            providers.push(p);
            string[] memory models = new string[](1);
            models[0] = "m";
            vm.prank(p);
            market.registerProvider("https://p", 1, 1, models, "");
        }
    }

    modifier syncTime(bytes32 name) {
        vm.warp(currentTime);
        ++calls[name];
        _;
    }

    // ------------------------------------------------------------------ actions

    function open(uint256 payerSeed, uint256 providerSeed, uint256 signerSeed, uint256 amount)
        external
        syncTime("open")
    {
        address payer = payers[payerSeed % payers.length];
        address provider = providers[providerSeed % providers.length];
        address signer = vm.addr(signerPks[signerSeed % signerPks.length]);
        amount = bound(amount, 1, 1_000e6);
        token.mint(payer, amount);
        ghostMinted += amount;
        vm.prank(payer);
        channelIds.push(market.open(provider, signer, amount));
    }

    function topUp(uint256 channelSeed, uint256 amount) external syncTime("topUp") {
        if (channelIds.length == 0) return;
        uint256 id = _pick(channelSeed);
        IComputeMarket.Channel memory c = market.getChannel(id);
        amount = bound(amount, 1, 500e6);
        token.mint(c.payer, amount);
        ghostMinted += amount;
        vm.prank(c.payer);
        try market.topUp(id, amount) {
            ++calls["topUp.ok"];
        } catch {}
    }

    /// Signs a voucher; `authorized` may rise or fall relative to earlier ones and may exceed the deposit.
    function sign(uint256 channelSeed, uint256 authorized, uint8 keySeed) external syncTime("sign") {
        if (channelIds.length == 0) return;
        _sign(_pick(channelSeed), authorized, keySeed % 8 == 0); // one voucher in eight by the wrong key
    }

    function _sign(uint256 id, uint256 authorized, bool byStranger) internal {
        IComputeMarket.Channel memory c = market.getChannel(id);
        authorized = bound(authorized, 0, uint256(c.deposit) + uint256(c.deposit) / 4);
        uint256 pk = byStranger ? strangerPk : _pkOf(c.signer);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, market.voucherDigest(id, authorized));
        vouchers[id].push(Voucher(authorized, abi.encodePacked(r, s, v)));
        if (!byStranger && authorized > maxSigned[id]) maxSigned[id] = authorized;
    }

    function redeem(uint256 channelSeed, uint256 voucherSeed, uint256 amount) external syncTime("redeem") {
        if (channelIds.length == 0) return;
        uint256 id = _pick(channelSeed);
        Voucher[] storage vs = vouchers[id];
        if (vs.length == 0) _sign(id, amount, false); // the payer's node always sent at least one voucher
        // Mostly the newest voucher, as a provider would; sometimes an older one (stale, or higher than the newest).
        Voucher storage v = vs[voucherSeed % 3 == 0 ? voucherSeed % vs.length : vs.length - 1];
        IComputeMarket.Channel memory c = market.getChannel(id);
        // Mostly fresh amounts (above what was redeemed); sometimes stale ones or one above the voucher.
        uint256 low = v.authorized >= c.redeemed && amount % 4 != 0 ? c.redeemed : 0;
        amount = amount % 7 == 0 ? v.authorized + 1 : bound(amount, low, v.authorized);
        uint256 before = token.balanceOf(c.provider);
        vm.prank(c.provider);
        try market.redeem(id, amount, v.authorized, v.signature) {
            ++calls["redeem.ok"];
        } catch {}
        ghostPaid[id] += token.balanceOf(c.provider) - before;
    }

    function redeemMany(uint256 providerSeed, uint256[3] calldata channelSeeds, uint256[3] calldata amounts)
        external
        syncTime("redeemMany")
    {
        if (channelIds.length == 0) return;
        address provider = providers[providerSeed % providers.length];
        IComputeMarket.Redemption[] memory rs = new IComputeMarket.Redemption[](3);
        uint256[3] memory before;
        uint256 n;
        for (uint256 i; i < 3; ++i) {
            uint256 id = _pick(channelSeeds[i]);
            Voucher[] storage vs = vouchers[id];
            if (vs.length == 0) _sign(id, amounts[i], false);
            // Newest voucher first: that is what a provider batches; an older one shows up as a skip.
            Voucher storage v = vs[vs.length - 1 - (amounts[i] % vs.length)];
            uint256 redeemed = market.getChannel(id).redeemed;
            uint256 low = v.authorized >= redeemed ? redeemed : 0;
            rs[n++] = IComputeMarket.Redemption(id, bound(amounts[i], low, v.authorized), v.authorized, v.signature);
        }
        assembly ("memory-safe") {
            mstore(rs, n)
        }
        for (uint256 i; i < n; ++i) {
            before[i] = market.getChannel(rs[i].channelId).redeemed;
        }
        uint256 balanceBefore = token.balanceOf(provider);
        vm.prank(provider);
        market.redeemMany(rs); // must never revert: bad entries are skipped
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            uint256 id = rs[i].channelId;
            uint256 after_ = market.getChannel(id).redeemed;
            if (after_ > before[i]) {
                // Count each channel once even if it appears twice in the batch.
                ghostPaid[id] += after_ - before[i];
                ++calls["redeemMany.ok"];
                sum += after_ - before[i];
                for (uint256 j = i + 1; j < n; ++j) {
                    if (rs[j].channelId == id) before[j] = after_;
                }
            }
        }
        assertEq(token.balanceOf(provider) - balanceBefore, sum, "redeemMany paid != sum of redemptions");
    }

    function requestClose(uint256 channelSeed) external syncTime("requestClose") {
        if (channelIds.length == 0) return;
        uint256 id = _pick(channelSeed);
        vm.prank(market.getChannel(id).payer);
        try market.requestClose(id) {
            ++calls["requestClose.ok"];
        } catch {}
    }

    function warp(uint256 secs) external syncTime("warp") {
        currentTime += bound(secs, 0, 2 days);
        vm.warp(currentTime);
    }

    function finalize(uint256 channelSeed) external syncTime("finalize") {
        if (channelIds.length == 0) return;
        uint256 id = _pick(channelSeed);
        address payer = market.getChannel(id).payer;
        uint256 before = token.balanceOf(payer);
        try market.finalize(id) {
            ++calls["finalize.ok"];
        } catch {}
        ghostRefunded[id] += token.balanceOf(payer) - before;
    }

    function closeCooperatively(uint256 channelSeed, uint256 voucherSeed, uint256 amount)
        external
        syncTime("closeCooperatively")
    {
        // Rarer than the other actions, so that channels live long enough to be exercised.
        if (channelIds.length == 0 || voucherSeed % 3 != 0) return;
        uint256 id = _pick(channelSeed);
        IComputeMarket.Channel memory c = market.getChannel(id);
        uint256 authorized;
        bytes memory sig;
        Voucher[] storage vs = vouchers[id];
        if (vs.length != 0 && amount % 2 == 0) {
            Voucher storage v = vs[voucherSeed % vs.length];
            authorized = v.authorized;
            sig = v.signature;
            amount = bound(amount, 0, authorized);
        } else {
            amount = 0;
        }
        uint256 providerBefore = token.balanceOf(c.provider);
        uint256 payerBefore = token.balanceOf(c.payer);
        vm.prank(c.provider);
        try market.closeCooperatively(id, amount, authorized, sig) {
            ++calls["closeCooperatively.ok"];
        } catch {}
        ghostPaid[id] += token.balanceOf(c.provider) - providerBefore;
        ghostRefunded[id] += token.balanceOf(c.payer) - payerBefore;
    }

    // ------------------------------------------------------------------ views for the invariants

    function channelCount() external view returns (uint256) {
        return channelIds.length;
    }

    function payerCount() external view returns (uint256) {
        return payers.length;
    }

    function providerCount() external view returns (uint256) {
        return providers.length;
    }

    // ------------------------------------------------------------------ internal

    function _pick(uint256 seed) internal view returns (uint256) {
        return channelIds[seed % channelIds.length];
    }

    function _pkOf(address signer) internal view returns (uint256) {
        for (uint256 i; i < signerPks.length; ++i) {
            if (vm.addr(signerPks[i]) == signer) return signerPks[i];
        }
        revert("unknown signer");
    }
}

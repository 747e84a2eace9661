// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {MarketBase} from "./utils/MarketBase.sol";
import {RevocableSigner, RefusingCode} from "./utils/RevocableSigner.sol";
import {PaymentChannels} from "../../src/market/PaymentChannels.sol";

/// @notice Issue 10, class 5: contract signers that revoke vouchers. A voucher is a promise the provider serves
/// against; if the signer could take it back after being served (an ERC-1271 contract flipping its answer), the
/// payer would claw the deposit back through `requestClose` + `finalize`. The market therefore verifies vouchers by
/// ECDSA only: the signer is an EOA (possibly EIP-7702-delegated), and what its key signed stays redeemable.
contract SignerRevocationTest is MarketBase {
    address internal ownerKey;
    uint256 internal ownerPk;

    function setUp() public override {
        super.setUp();
        (ownerKey, ownerPk) = makeAddrAndKey("account-owner");
    }

    /// @dev Whether `redeem` would pay now (simulated, state restored): what an honest provider checks before serving.
    function _wouldRedeem(uint256 cid, uint256 amount, uint256 authorized, bytes memory sig) internal returns (bool ok) {
        uint256 snapshot = vm.snapshotState();
        vm.prank(provider);
        try market.redeem(cid, amount, authorized, sig) {
            ok = true;
        } catch {
            ok = false;
        }
        vm.revertToState(snapshot);
    }

    /// @notice A contract signer's ERC-1271 voucher is refused: only ECDSA signatures of the signer count.
    function test_RevertWhen_ContractSignerVoucher_SignerRevocation() public {
        RevocableSigner account = new RevocableSigner(ownerKey);
        vm.prank(payer);
        uint256 cid = market.open(provider, address(account), 10e6);
        bytes memory sig = _sign(ownerPk, cid, 4e6);
        vm.expectRevert(abi.encodeWithSelector(PaymentChannels.ComputeMarket_InvalidSignature.selector, cid));
        vm.prank(provider);
        market.redeem(cid, 4e6, 4e6, sig);
        assertEq(token.balanceOf(provider), 0);
    }

    /// @notice The attack: a contract signer's voucher passes when the provider checks it, the provider serves, the
    /// signer revokes, the provider can no longer redeem, and the payer takes the whole deposit back. Property: a
    /// voucher the market accepts stays accepted whatever the signer does afterwards, so nothing can be clawed back.
    function test_Attack_SignerRevocation_ContractSignerCannotClawBack() public {
        RevocableSigner account = new RevocableSigner(ownerKey);
        vm.prank(payer);
        uint256 cid = market.open(provider, address(account), 10e6);
        bytes memory sig = _sign(ownerPk, cid, 4e6);
        bool acceptedWhenServed = _wouldRedeem(cid, 4e6, 4e6, sig);

        account.revoke();
        bool acceptedAfterRevoke = _wouldRedeem(cid, 4e6, 4e6, sig);
        assertEq(acceptedAfterRevoke, acceptedWhenServed, "a voucher the market accepted was revoked");

        // The payer closes; whatever the provider could redeem before it stays redeemable through the window.
        vm.prank(payer);
        market.requestClose(cid);
        if (acceptedWhenServed) {
            vm.prank(provider);
            market.redeem(cid, 4e6, 4e6, sig);
        }
        vm.warp(block.timestamp + PERIOD + 1);
        uint256 payerBefore = token.balanceOf(payer);
        market.finalize(cid);
        assertEq(token.balanceOf(payer) - payerBefore, acceptedWhenServed ? 6e6 : 10e6);
    }

    /// @notice An EOA signer that later gets code (an EIP-7702 delegation refusing ERC-1271) cannot revoke what its
    /// key signed: the ECDSA voucher is final.
    function testFuzz_SignerRevocation_EoaVoucherSurvivesCode(uint256 authorized, uint256 amount) public {
        uint256 cid = _open(100e6);
        authorized = bound(authorized, 1, 100e6);
        amount = bound(amount, 1, authorized);
        bytes memory sig = _sign(signerPk, cid, authorized);
        assertTrue(_wouldRedeem(cid, amount, authorized, sig));

        vm.etch(signer, address(new RefusingCode()).code);
        vm.prank(payer);
        market.requestClose(cid);
        vm.prank(provider);
        market.redeem(cid, amount, authorized, sig);
        assertEq(token.balanceOf(provider), amount);
        vm.warp(block.timestamp + PERIOD + 1);
        market.finalize(cid);
        assertEq(_channel(cid).redeemed, amount);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {console2} from "forge-std/console2.sol";
import {PackedUserOperation} from "@account-abstraction/contracts/interfaces/PackedUserOperation.sol";
import {IEntryPoint} from "@account-abstraction/contracts/interfaces/IEntryPoint.sol";

import {AccountFixture} from "./AccountFixture.sol";

/// @dev Gas of the hot paths, as whole transactions: measured execution gas (all touched accounts and
/// slots cooled first, as in a fresh transaction) + 21,000 + calldata cost (EIP-2028).
/// Anchors: a plain smart account's direct ERC-20 transfer ~63,500; SimpleAccount's userOp ~175,300.
contract GasTest is AccountFixture {
    function calldataGas(bytes memory data) internal pure returns (uint256 g) {
        for (uint256 i; i < data.length; ++i) {
            g += data[i] == 0 ? 4 : 16;
        }
    }

    function coolAll() internal {
        vm.cool(address(account));
        vm.cool(address(implementation));
        vm.cool(address(token));
        vm.cool(address(nft));
        vm.cool(address(entryPoint));
        vm.cool(address(registry));
        vm.cool(recipient);
        vm.cool(key);
    }

    function test_Gas_CreateAccount() public {
        uint256 id = nft.mint(owner);
        bytes memory data = abi.encodeCall(
            registry.createAccount, (address(implementation), bytes32(0), block.chainid, address(nft), id)
        );
        coolAll();
        uint256 g = gasleft();
        registry.createAccount(address(implementation), bytes32(0), block.chainid, address(nft), id);
        g = g - gasleft();
        uint256 txGas = g + 21_000 + calldataGas(data);
        console2.log("createAccount tx gas", txGas);
        assertLt(txGas, 110_000);
    }

    function test_Gas_SessionErc20TransferViaExecute() public {
        grantDefault();
        keyTransfer(recipient, 1); // steady state: the period's spend slots already exist
        bytes memory inner = transferCall(recipient, 10e18);
        bytes memory data = abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", address(token), 0, inner, 0);
        coolAll();
        vm.prank(key);
        uint256 g = gasleft();
        account.execute(address(token), 0, inner, 0);
        g = g - gasleft();
        uint256 txGas = g + 21_000 + calldataGas(data);
        console2.log("session ERC-20 transfer via execute, tx gas", txGas);
        assertLt(txGas, 70_000);
    }

    function test_Gas_SessionErc20TransferViaExecute_FreshRecipient() public {
        grantDefault();
        keyTransfer(recipient, 1);
        bytes memory inner = transferCall(spender, 10e18); // spender holds no tokens yet
        bytes memory data = abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", address(token), 0, inner, 0);
        coolAll();
        vm.cool(spender);
        vm.prank(key);
        uint256 g = gasleft();
        account.execute(address(token), 0, inner, 0);
        g = g - gasleft();
        console2.log("session ERC-20 transfer via execute (fresh recipient), tx gas", g + 21_000 + calldataGas(data));
    }

    function test_Gas_OwnerErc20TransferViaExecute_FreshRecipient() public {
        vm.prank(owner);
        account.execute(address(token), 0, transferCall(recipient, 1), 0);
        bytes memory inner = transferCall(spender, 10e18);
        bytes memory data = abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", address(token), 0, inner, 0);
        coolAll();
        vm.cool(owner);
        vm.cool(spender);
        vm.prank(owner);
        uint256 g = gasleft();
        account.execute(address(token), 0, inner, 0);
        g = g - gasleft();
        console2.log("owner ERC-20 transfer via execute (fresh recipient), tx gas", g + 21_000 + calldataGas(data));
    }

    function test_Gas_SessionErc20TransferViaExecute_FirstOfPeriod() public {
        grantDefault();
        bytes memory inner = transferCall(recipient, 10e18);
        bytes memory data = abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", address(token), 0, inner, 0);
        coolAll();
        vm.prank(key);
        uint256 g = gasleft();
        account.execute(address(token), 0, inner, 0);
        g = g - gasleft();
        console2.log("session ERC-20 transfer via execute (first of period), tx gas", g + 21_000 + calldataGas(data));
    }

    function test_Gas_OwnerErc20TransferViaExecute() public {
        bytes memory inner = transferCall(recipient, 10e18);
        bytes memory data = abi.encodeWithSignature("execute(address,uint256,bytes,uint8)", address(token), 0, inner, 0);
        vm.prank(owner);
        account.execute(address(token), 0, inner, 0); // state slot non-zero, as in steady state
        coolAll();
        vm.cool(owner);
        vm.prank(owner);
        uint256 g = gasleft();
        account.execute(address(token), 0, inner, 0);
        g = g - gasleft();
        console2.log("owner ERC-20 transfer via execute, tx gas", g + 21_000 + calldataGas(data));
    }

    function test_Gas_SessionErc20TransferViaHandleOps() public {
        grantDefault();
        keyTransfer(recipient, 1);
        vm.prank(owner);
        account.execute(address(entryPoint), 1 ether, "", 0); // deposit, as a funded account would have
        PackedUserOperation memory op = userOpFor(executeCall(address(token), 0, transferCall(recipient, 10e18)));
        signUserOp(op, keyPk);
        PackedUserOperation[] memory ops = new PackedUserOperation[](1);
        ops[0] = op;
        address payable beneficiary = payable(makeAddr("beneficiary"));
        vm.deal(beneficiary, 1); // an existing bundler account
        bytes memory data = abi.encodeCall(IEntryPoint.handleOps, (ops, beneficiary));
        coolAll();
        vm.cool(beneficiary);
        uint256 g = gasleft();
        entryPoint.handleOps(ops, beneficiary);
        g = g - gasleft();
        uint256 txGas = g + 21_000 + calldataGas(data);
        console2.log("session ERC-20 transfer via handleOps, tx gas", txGas);
        assertLt(txGas, 160_000); // the gas charge in validation costs ~6,000
    }
}

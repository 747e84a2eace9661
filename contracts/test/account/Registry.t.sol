// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {AccountFixture} from "./AccountFixture.sol";
import {IERC6551Registry} from "../../src/erc6551/IERC6551Registry.sol";
import {
    DETERMINISTIC_DEPLOYER,
    ERC6551_REGISTRY_ADDRESS,
    ERC6551_REGISTRY_SALT,
    ERC6551_REGISTRY_INIT_CODE
} from "../../src/erc6551/ERC6551RegistryDeployment.sol";

contract RegistryTest is AccountFixture {
    function test_CanonicalAddress() public view {
        address predicted = address(
            uint160(
                uint256(
                    keccak256(
                        abi.encodePacked(
                            bytes1(0xff), DETERMINISTIC_DEPLOYER, ERC6551_REGISTRY_SALT, keccak256(ERC6551_REGISTRY_INIT_CODE)
                        )
                    )
                )
            )
        );
        assertEq(predicted, 0x000000006551c19487814612e58FE06813775758);
        assertEq(address(registry), ERC6551_REGISTRY_ADDRESS);
        assertGt(address(registry).code.length, 0);
    }

    function test_CreateAccount_MatchesAccountAndFooter() public {
        (address acc,) = (address(account), 0);
        assertEq(acc, registry.account(address(implementation), bytes32(0), block.chainid, address(nft), tokenId));
        assertEq(acc.code.length, 0xad);
        (uint256 chainId, address tokenContract, uint256 id) = account.token();
        assertEq(chainId, block.chainid);
        assertEq(tokenContract, address(nft));
        assertEq(id, tokenId);
        // idempotent: no second deployment
        assertEq(registry.createAccount(address(implementation), bytes32(0), block.chainid, address(nft), tokenId), acc);
    }

    function test_CreateAccount_EmitsEvent() public {
        uint256 id = nft.mint(owner);
        address predicted = registry.account(address(implementation), bytes32(uint256(7)), block.chainid, address(nft), id);
        vm.expectEmit(address(registry));
        emit IERC6551Registry.ERC6551AccountCreated(
            predicted, address(implementation), bytes32(uint256(7)), block.chainid, address(nft), id
        );
        registry.createAccount(address(implementation), bytes32(uint256(7)), block.chainid, address(nft), id);
    }

    function test_Nft_SequentialIdsAndMetadata() public {
        assertEq(nft.name(), "y2c Agent");
        assertEq(nft.symbol(), "Y2C");
        assertEq(tokenId, 1);
        assertEq(nft.mint(buyer), 2);
        assertEq(nft.totalMinted(), 2);
        assertEq(nft.ownerOf(2), buyer);
    }

    function test_RevertWhen_NftMintedByStranger() public {
        vm.prank(buyer);
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, buyer));
        nft.mint(buyer);
    }
}

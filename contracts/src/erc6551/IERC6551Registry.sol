// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IERC6551Registry
/// @notice The singleton ERC-6551 registry. It MUST be deployed at
/// `0x000000006551c19487814612e58FE06813775758` through Nick's Factory
/// (`0x4e59b44847b379578588920cA78FbF26c0B4956C`); see `ERC6551RegistryDeployment.sol`.
/// @dev The registry MUST deploy each token bound account as an ERC-1167 minimal proxy with immutable
/// constant data appended to the bytecode: header (10 bytes), implementation (20), footer (15),
/// salt (32), chainId (32), tokenContract (32), tokenId (32). It MUST use `create2`, so each account
/// address is derived from the implementation, token contract, token id, chain id and salt.
interface IERC6551Registry {
    /// @dev The registry MUST emit the ERC6551AccountCreated event upon successful account creation.
    event ERC6551AccountCreated(
        address account,
        address indexed implementation,
        bytes32 salt,
        uint256 chainId,
        address indexed tokenContract,
        uint256 indexed tokenId
    );

    /// @dev The registry MUST revert with AccountCreationFailed error if the create2 operation fails.
    error AccountCreationFailed();

    /// @notice Creates a token bound account for a non-fungible token.
    /// @dev If the account has already been created, returns its address without calling create2.
    /// Emits ERC6551AccountCreated.
    /// @param implementation The account implementation the proxy delegates to.
    /// @param salt A salt, to derive several accounts for one token.
    /// @param chainId The chain id of the chain the token exists on.
    /// @param tokenContract The token contract.
    /// @param tokenId The token id.
    /// @return account The address of the token bound account.
    function createAccount(
        address implementation,
        bytes32 salt,
        uint256 chainId,
        address tokenContract,
        uint256 tokenId
    ) external returns (address account);

    /// @notice Returns the computed token bound account address for a non-fungible token.
    /// @param implementation The account implementation the proxy delegates to.
    /// @param salt A salt, to derive several accounts for one token.
    /// @param chainId The chain id of the chain the token exists on.
    /// @param tokenContract The token contract.
    /// @param tokenId The token id.
    /// @return account The address of the token bound account.
    function account(
        address implementation,
        bytes32 salt,
        uint256 chainId,
        address tokenContract,
        uint256 tokenId
    ) external view returns (address account);
}

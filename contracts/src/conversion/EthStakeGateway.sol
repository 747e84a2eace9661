// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IYieldVault} from "../interfaces/IYieldVault.sol";

/// @notice WETH9's wrapping function.
interface IWETH9 {
    function deposit() external payable;
}

/// @title EthStakeGateway
/// @notice Stakes plain ether into a WETH `YieldVault`: wraps what is sent and stakes it for the sender
/// (`stakeFor`), in one transaction. The vault itself stays one code path for every asset; the
/// gateway holds nothing between calls. Unstaking returns WETH (unwrap it with `WETH.withdraw`).
contract EthStakeGateway {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice No ether was sent.
    error EthStakeGateway_ZeroAmount();
    /// @notice The vault's asset is not the WETH given.
    error EthStakeGateway_AssetMismatch(address weth, address vaultAsset);

    // ------------------------------------------------------------------ storage

    IWETH9 private immutable _weth;
    IYieldVault private immutable _vault;

    // ------------------------------------------------------------------ constructor

    /// @param weth_ The WETH9 contract.
    /// @param vault_ A YieldVault whose asset is `weth_`.
    constructor(address weth_, IYieldVault vault_) {
        address vaultAsset = vault_.asset();
        if (vaultAsset != weth_) revert EthStakeGateway_AssetMismatch(weth_, vaultAsset);
        _weth = IWETH9(weth_);
        _vault = vault_;
        IERC20(weth_).forceApprove(address(vault_), type(uint256).max);
    }

    // ------------------------------------------------------------------ external

    /// @notice Wraps `msg.value` and stakes it for the caller (same lock and principal as `stake`).
    function stake() external payable {
        _stakeFor(msg.sender);
    }

    /// @notice Wraps `msg.value` and stakes it for `staker` (same rules as the vault's `stakeFor`).
    /// @param staker Who is credited the principal.
    function stakeFor(address staker) external payable {
        _stakeFor(staker);
    }

    /// @notice The vault staked into.
    /// @return The vault.
    function vault() external view returns (address) {
        return address(_vault);
    }

    // ------------------------------------------------------------------ internal

    function _stakeFor(address staker) internal {
        if (msg.value == 0) revert EthStakeGateway_ZeroAmount();
        _weth.deposit{value: msg.value}();
        _vault.stakeFor(staker, msg.value);
    }
}

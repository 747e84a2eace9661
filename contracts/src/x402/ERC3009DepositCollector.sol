// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC3009} from "../interfaces/IERC3009.sol";
import {IDepositCollector} from "./IDepositCollector.sol";

/// @title ERC3009DepositCollector
/// @notice Funds a batch-settlement channel from the payer's EIP-3009 `ReceiveWithAuthorization` to this
/// collector, as the official x402 EVM package signs it: nonce = keccak256(abi.encode(channelId, salt)), so the authorization
/// funds that channel only. `collectorData` = abi.encode(validAfter, validBefore, salt, signature).
/// @dev Devnet copy placed at the canonical 0x4020806089470a89826cB9fB1f4059150b550004; the escrow address is an
/// immutable, so the copied runtime code carries it and needs no storage.
contract ERC3009DepositCollector is IDepositCollector {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice `caller` is not the batch-settlement escrow.
    error ERC3009DepositCollector_NotEscrow(address caller);

    // ------------------------------------------------------------------ storage

    /// @notice The escrow this collector serves.
    address public immutable ESCROW;

    // ------------------------------------------------------------------ constructor

    /// @param escrow The batch-settlement escrow (the canonical address on every network).
    constructor(address escrow) {
        ESCROW = escrow;
    }

    // ------------------------------------------------------------------ external

    /// @inheritdoc IDepositCollector
    function collect(address payer, address token, uint256 amount, bytes32 channelId, bytes calldata data) external {
        if (msg.sender != ESCROW) revert ERC3009DepositCollector_NotEscrow(msg.sender);
        (uint256 validAfter, uint256 validBefore, uint256 salt, bytes memory signature) =
            abi.decode(data, (uint256, uint256, uint256, bytes));
        bytes32 nonce = keccak256(abi.encode(channelId, salt));
        IERC3009(token).receiveWithAuthorization(payer, address(this), amount, validAfter, validBefore, nonce, signature);
        IERC20(token).safeTransfer(ESCROW, amount);
    }
}

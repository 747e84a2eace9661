// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ERC3009} from "./ERC3009.sol";

/// @title USDx
/// @notice "y2c Dollar": the 6-decimal devnet stablecoin staked into the YieldVault.
/// @dev Anyone may draw from the faucet, capped per call. The owner and the minters it sets
/// (sUSDx, which mints its own interest) may mint without a cap. Devnet only: never deploy
/// this as a real asset. Like USDC it speaks EIP-2612 (`permit`) and EIP-3009 (transfer with authorization,
/// what x402 `exact` payments and the batch-settlement ERC-3009 deposit collector use) under one EIP-712 domain
/// {name: "y2c Dollar", version: "1"}.
contract USDx is ERC20, ERC20Permit, ERC3009, Ownable {
    // ------------------------------------------------------------------ errors

    /// @notice `amount` is above the faucet's per-call cap.
    error USDx_FaucetCapExceeded(uint256 amount, uint256 cap);
    /// @notice `caller` is neither the owner nor a minter.
    error USDx_NotMinter(address caller);
    /// @notice A zero address was given where an account is required.
    error USDx_ZeroAddress();

    // ------------------------------------------------------------------ events

    /// @notice `minter` was allowed (or no longer allowed) to mint.
    event MinterSet(address indexed minter, bool allowed);
    /// @notice `amount` was drawn from the faucet by `caller` for `to`.
    event FaucetDrawn(address indexed caller, address indexed to, uint256 amount);

    // ------------------------------------------------------------------ storage

    /// @notice Most USDx one faucet call may mint: 1,000,000 USDx.
    uint256 public constant FAUCET_CAP = 1_000_000e6;

    mapping(address minter => bool allowed) private _minters;

    // ------------------------------------------------------------------ constructor

    /// @param initialOwner Who may mint and set minters.
    constructor(address initialOwner) ERC20("y2c Dollar", "USDx") ERC20Permit("y2c Dollar") Ownable(initialOwner) {}

    // ------------------------------------------------------------------ external

    /// @notice Mints up to `FAUCET_CAP` USDx to `to`; anyone may call (devnet).
    /// @param to Who receives the USDx.
    /// @param amount How much (6 decimals), at most `FAUCET_CAP`.
    function faucet(address to, uint256 amount) external {
        if (amount > FAUCET_CAP) revert USDx_FaucetCapExceeded(amount, FAUCET_CAP);
        _mint(to, amount);
        emit FaucetDrawn(msg.sender, to, amount);
    }

    /// @notice Mints `amount` to `to`; only the owner or a minter.
    /// @param to Who receives the USDx.
    /// @param amount How much (6 decimals).
    function mint(address to, uint256 amount) external {
        if (msg.sender != owner() && !_minters[msg.sender]) revert USDx_NotMinter(msg.sender);
        _mint(to, amount);
    }

    /// @notice Allows or disallows `minter` to mint; only the owner.
    /// @param minter The account (e.g. sUSDx, which mints its accrued interest).
    /// @param allowed Whether it may mint.
    function setMinter(address minter, bool allowed) external onlyOwner {
        if (minter == address(0)) revert USDx_ZeroAddress();
        _minters[minter] = allowed;
        emit MinterSet(minter, allowed);
    }

    /// @notice Whether `account` may mint (the owner always may).
    /// @param account The account to check.
    /// @return allowed True for the owner and for minters.
    function isMinter(address account) external view returns (bool allowed) {
        return account == owner() || _minters[account];
    }

    /// @notice 6, like USDC.
    /// @return The number of decimals.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}

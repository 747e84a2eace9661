// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @dev A plain ERC-4626 (no decimals offset) over any asset.
contract PlainSource is ERC4626 {
    constructor(IERC20 asset_) ERC20("Plain source", "pSRC") ERC4626(asset_) {}
}

/// @dev What an ERC-777-style hook receiver implements.
interface ITokenHooks {
    function tokensToSend(address from, address to, uint256 amount) external;
    function tokensReceived(address from, address to, uint256 amount) external;
}

/// @dev An ERC-20 that calls the sender before and the recipient after every transfer, like
/// ERC-777 (for any account that opted in).
contract HookToken is ERC20 {
    mapping(address => bool) public hooked;

    constructor() ERC20("Hook", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setHooked(bool on) external {
        hooked[msg.sender] = on;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && hooked[from]) ITokenHooks(from).tokensToSend(from, to, value);
        super._update(from, to, value);
        if (to != address(0) && hooked[to]) ITokenHooks(to).tokensReceived(from, to, value);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IComputeMarket} from "../interfaces/IComputeMarket.sol";

/// @title PaymentChannels
/// @notice The channel half of the ComputeMarket: unidirectional payment channels from a payer to a provider,
/// paid by cumulative EIP-712 vouchers `Voucher(uint256 channelId,uint256 authorized)`.
/// @dev Life of a channel: `open` (payer escrows) -> any number of `topUp` (payer) and `redeem`/`redeemMany`
/// (provider) -> either `closeCooperatively` (provider, at once) or `requestClose` (payer) followed, once the
/// challenge window is over, by `finalize` (anyone). The provider may redeem while `block.timestamp <= closesAt`;
/// `finalize` is possible only when `block.timestamp > closesAt`, so the two never overlap.
///
/// Safety properties (tested as invariants): a channel never pays its provider more than the highest `authorized`
/// its signer signed nor more than its deposit; the market always holds exactly the sum of `deposit - redeemed` over
/// channels not yet closed; for a closed channel, paid to the provider + refunded to the payer == deposit.
///
/// The payment token must be a plain ERC-20: fee-on-transfer or rebasing tokens break the accounting and are not
/// supported (the token is fixed at deployment).
///
/// Signers are EOAs: a voucher counts only as a 65-byte ECDSA signature (low s) by the channel's signer, never through
/// ERC-1271. A voucher is a promise the provider serves against; a contract signer could answer ERC-1271 "valid"
/// while the provider checks and "invalid" once it has served, and the payer would then take the deposit back through
/// `requestClose` + `finalize`. An ECDSA signature cannot be taken back, whatever code its address gets later
/// (EIP-7702), so once a voucher is accepted it stays redeemable for the channel's life. A channel opened with a
/// contract as signer is not refused (an address may get code later, or be counterfactual), but no voucher of it can
/// ever be redeemed: the payer can only close it and get the whole deposit back. Deposits are stored as uint88 (3.1e26 units: 3.1e20 of a 6-decimal
/// token, 3.1e8 of an 18-decimal one) so that a channel fits three storage slots, of which `redeem` reads two.
abstract contract PaymentChannels is IComputeMarket, EIP712, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice The challenge period is zero or above `MAX_CHALLENGE_PERIOD`.
    error ComputeMarket_InvalidChallengePeriod(uint64 challengePeriod);
    /// @notice The token is the zero address.
    error ComputeMarket_ZeroToken();
    /// @notice The channel signer is the zero address.
    error ComputeMarket_ZeroSigner();
    /// @notice `open`/`topUp` with a zero amount.
    error ComputeMarket_ZeroAmount();
    /// @notice The deposit would exceed `MAX_DEPOSIT`.
    error ComputeMarket_DepositTooLarge(uint256 deposit, uint256 maxDeposit);
    /// @notice No channel has id `channelId`.
    error ComputeMarket_UnknownChannel(uint256 channelId);
    /// @notice `caller` is not the payer of `channelId`.
    error ComputeMarket_NotPayer(uint256 channelId, address caller);
    /// @notice `caller` is not the provider of `channelId`.
    error ComputeMarket_NotProvider(uint256 channelId, address caller);
    /// @notice The channel was finalized or cooperatively closed.
    error ComputeMarket_AlreadyClosed(uint256 channelId);
    /// @notice The challenge window ended at `closesAt`: no more redemptions.
    error ComputeMarket_ChallengeWindowOver(uint256 channelId, uint64 closesAt);
    /// @notice The challenge window lasts until `closesAt`: too early to finalize.
    error ComputeMarket_ChallengeWindowOpen(uint256 channelId, uint64 closesAt);
    /// @notice `finalize` on a channel whose payer never requested to close it.
    error ComputeMarket_CloseNotRequested(uint256 channelId);
    /// @notice `requestClose` while a close request is already pending.
    error ComputeMarket_CloseAlreadyRequested(uint256 channelId, uint64 closesAt);
    /// @notice The provider asked for more than the voucher authorizes.
    error ComputeMarket_AmountAboveAuthorized(uint256 channelId, uint256 amount, uint256 authorized);
    /// @notice The voucher authorizes more than the channel's deposit.
    error ComputeMarket_AuthorizedAboveDeposit(uint256 channelId, uint256 authorized, uint256 deposit);
    /// @notice `amount` (cumulative) is not above what was already redeemed: a stale or replayed voucher.
    error ComputeMarket_StaleAmount(uint256 channelId, uint256 amount, uint256 redeemed);
    /// @notice The signature is not the channel signer's over `Voucher(channelId, authorized)`.
    error ComputeMarket_InvalidSignature(uint256 channelId);

    // ------------------------------------------------------------------ events

    /// @notice A pending close request was cancelled by a top-up.
    event CloseCancelled(uint256 indexed channelId);
    /// @notice `redeemMany` skipped an entry; `reason` is the selector of the error `redeem` would have reverted with.
    event RedemptionSkipped(uint256 indexed channelId, bytes4 reason);

    // ------------------------------------------------------------------ storage

    /// @notice EIP-712 type hash of `Voucher(uint256 channelId,uint256 authorized)`.
    bytes32 public constant VOUCHER_TYPEHASH = keccak256("Voucher(uint256 channelId,uint256 authorized)");
    /// @notice Largest deposit a channel can hold.
    uint256 public constant MAX_DEPOSIT = type(uint88).max;
    /// @notice Longest challenge period a market can be deployed with.
    uint64 public constant MAX_CHALLENGE_PERIOD = 365 days;

    /// @dev A channel in three slots, grouped by who reads what: `redeem` reads slots 0 and 1 and writes slot 0 only;
    /// it reads slot 2 only when `ending` says a close was requested or the channel is closed (a cold read saved on
    /// every redemption of an open channel). `ending == (closesAt != 0 || closed)` always holds: every write of
    /// `closesAt` or `closed` writes it too. `topUp` writes slot 1 (and slot 2 only when it cancels a close request).
    struct ChannelSlots {
        // slot 0
        address provider;
        uint96 redeemed;
        // slot 1
        address signer;
        uint88 deposit;
        bool ending;
        // slot 2
        address payer;
        uint64 closesAt;
        bool closed;
    }

    IERC20 private immutable _token;
    uint64 private immutable _challengePeriod;
    uint256 private _channelCount;
    mapping(uint256 channelId => ChannelSlots) private _channels;

    // ------------------------------------------------------------------ constructor

    /// @param token_ The ERC-20 every channel is paid in.
    /// @param challengePeriod_ Seconds the provider has to redeem after the payer requests to close; 1..365 days.
    constructor(IERC20 token_, uint64 challengePeriod_) {
        if (address(token_) == address(0)) revert ComputeMarket_ZeroToken();
        if (challengePeriod_ == 0 || challengePeriod_ > MAX_CHALLENGE_PERIOD) {
            revert ComputeMarket_InvalidChallengePeriod(challengePeriod_);
        }
        _token = token_;
        _challengePeriod = challengePeriod_;
    }

    // ------------------------------------------------------------------ external: views

    /// @notice The ERC-20 every channel is paid in.
    /// @return The token address.
    function token() external view returns (address) {
        return address(_token);
    }

    /// @notice Seconds between `requestClose` and the end of the challenge window.
    /// @return The challenge period in seconds.
    function challengePeriod() external view returns (uint64) {
        return _challengePeriod;
    }

    /// @notice The EIP-712 digest the channel signer signs for a voucher on this market and chain.
    /// @param channelId The channel.
    /// @param authorized The cumulative total the signer allows the provider to take.
    /// @return The digest.
    function voucherDigest(uint256 channelId, uint256 authorized) external view returns (bytes32) {
        return _voucherDigest(channelId, authorized);
    }

    /// @notice A channel's state; all zero if `channelId` does not exist.
    /// @param channelId The channel.
    /// @return The channel.
    function getChannel(uint256 channelId) external view returns (Channel memory) {
        ChannelSlots storage c = _channels[channelId];
        return Channel({
            payer: c.payer,
            provider: c.provider,
            signer: c.signer,
            deposit: c.deposit,
            redeemed: c.redeemed,
            closesAt: c.closesAt,
            closed: c.closed
        });
    }

    /// @notice Number of channels ever opened, which is also the highest id.
    /// @return The count.
    function channelCount() external view returns (uint256) {
        return _channelCount;
    }

    // ------------------------------------------------------------------ external: payer

    /// @notice Opens a channel from msg.sender (the payer) to an active provider and escrows `amount` into it.
    /// @dev msg.sender must have approved `amount` of the token to this market. Emits `ChannelOpened`.
    /// @param provider An active registered provider.
    /// @param signer The EOA whose ECDSA vouchers the provider may redeem (ERC-1271 is never consulted); non-zero.
    /// @param amount The initial deposit; non-zero, at most `MAX_DEPOSIT`.
    /// @return channelId The new channel's id (ids start at 1).
    function open(address provider, address signer, uint256 amount) external nonReentrant returns (uint256 channelId) {
        _requireActiveProvider(provider);
        if (signer == address(0)) revert ComputeMarket_ZeroSigner();
        if (amount == 0) revert ComputeMarket_ZeroAmount();
        if (amount > MAX_DEPOSIT) revert ComputeMarket_DepositTooLarge(amount, MAX_DEPOSIT);

        channelId = ++_channelCount;
        ChannelSlots storage c = _channels[channelId];
        c.provider = provider;
        c.payer = msg.sender;
        // casting to 'uint88' is safe because amount <= MAX_DEPOSIT == type(uint88).max, checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        c.deposit = uint88(amount);
        c.signer = signer;
        emit ChannelOpened(channelId, msg.sender, provider, signer, amount);

        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Adds `amount` to a channel's deposit; payer only.
    /// @dev A top-up cancels a pending close request (`closesAt` back to 0, `CloseCancelled` emitted): adding funds
    /// says the payer wants to keep buying, the provider may then accept vouchers above the old deposit, and a
    /// deposit added during the window would otherwise just be refunded by `finalize`. It is allowed even after the
    /// window ended (before `finalize`), which re-opens the channel. Emits `ChannelToppedUp`.
    /// @param channelId An open channel of msg.sender.
    /// @param amount Tokens to add (approved to this market); non-zero; the deposit stays at most `MAX_DEPOSIT`.
    function topUp(uint256 channelId, uint256 amount) external nonReentrant {
        ChannelSlots storage c = _channels[channelId];
        _requirePayer(c, channelId);
        if (c.closed) revert ComputeMarket_AlreadyClosed(channelId);
        if (amount == 0) revert ComputeMarket_ZeroAmount();
        uint256 deposit = c.deposit + amount;
        if (deposit > MAX_DEPOSIT) revert ComputeMarket_DepositTooLarge(deposit, MAX_DEPOSIT);

        // casting to 'uint88' is safe because deposit <= MAX_DEPOSIT == type(uint88).max, checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        c.deposit = uint88(deposit);
        if (c.closesAt != 0) {
            c.closesAt = 0;
            c.ending = false; // not closed (checked above), and no close request any more
            emit CloseCancelled(channelId);
        }
        emit ChannelToppedUp(channelId, amount, deposit);

        _token.safeTransferFrom(msg.sender, address(this), amount);
    }

    /// @notice Starts the challenge window: the provider may redeem until `now + challengePeriod`, after which
    /// anyone may `finalize`. Payer only.
    /// @dev Reverts if a close request is already pending (a top-up cancels it). Emits `CloseRequested`.
    /// @param channelId An open channel of msg.sender.
    function requestClose(uint256 channelId) external nonReentrant {
        ChannelSlots storage c = _channels[channelId];
        _requirePayer(c, channelId);
        if (c.closed) revert ComputeMarket_AlreadyClosed(channelId);
        uint64 closesAt = c.closesAt;
        if (closesAt != 0) revert ComputeMarket_CloseAlreadyRequested(channelId, closesAt);

        // casting to 'uint64' is safe because block.timestamp fits uint64 for 5e11 years; the sum is checked.
        // forge-lint: disable-next-line(unsafe-typecast)
        closesAt = uint64(block.timestamp) + _challengePeriod;
        c.closesAt = closesAt;
        c.ending = true;
        emit CloseRequested(channelId, closesAt);
    }

    /// @notice After the challenge window, closes the channel and refunds `deposit - redeemed` to the payer.
    /// Anyone may call.
    /// @dev Requires a close request and `block.timestamp > closesAt`. Emits `ChannelClosed`.
    /// @param channelId The channel.
    function finalize(uint256 channelId) external nonReentrant {
        ChannelSlots storage c = _channels[channelId];
        address payer = c.payer;
        if (payer == address(0)) revert ComputeMarket_UnknownChannel(channelId);
        if (c.closed) revert ComputeMarket_AlreadyClosed(channelId);
        uint64 closesAt = c.closesAt;
        if (closesAt == 0) revert ComputeMarket_CloseNotRequested(channelId);
        // Timestamp skew of seconds is irrelevant next to a challenge period of hours or days.
        // forge-lint: disable-next-line(block-timestamp)
        if (block.timestamp <= closesAt) revert ComputeMarket_ChallengeWindowOpen(channelId, closesAt);

        c.closed = true;
        c.ending = true;
        uint256 redeemed = c.redeemed;
        uint256 refund;
        // redeemed <= deposit always holds: redeem checks amount <= authorized <= deposit.
        unchecked {
            refund = c.deposit - redeemed;
        }
        emit ChannelClosed(channelId, refund, redeemed);

        if (refund != 0) _token.safeTransfer(payer, refund);
    }

    // ------------------------------------------------------------------ external: provider

    /// @notice Takes `amount - redeemed` from a channel, where `amount <= authorized <= deposit` and the channel's
    /// signer signed `Voucher(channelId, authorized)`. Provider only, until the challenge window ends.
    /// @dev `amount` is cumulative: the channel's total redeemed after this call; it must be above the current total,
    /// so a replayed or stale voucher reverts. Emits `Redeemed`.
    /// @param channelId The channel.
    /// @param amount The new cumulative total redeemed.
    /// @param authorized The cumulative total the voucher authorizes.
    /// @param signature The signer's 65-byte ECDSA signature (low s); nothing else is accepted.
    function redeem(uint256 channelId, uint256 amount, uint256 authorized, bytes calldata signature)
        external
        nonReentrant
    {
        uint256 paid = _redeem(channelId, amount, authorized, signature, true);
        _token.safeTransfer(msg.sender, paid);
    }

    /// @notice `redeem` for many channels of msg.sender in one transaction, paid with one token transfer.
    /// @dev Invalid entries are SKIPPED, not reverted: each emits `RedemptionSkipped(channelId, reason)` with the
    /// selector of the error `redeem` would have reverted with, and the valid ones are paid. One bad entry (a channel
    /// finalized meanwhile, a voucher superseded by an earlier redeem in the same block, a mistaken signature) must not
    /// block settlement of all the others, which matters most when the provider settles just before several challenge
    /// windows end. Nothing is paid to anyone but msg.sender, so skipping is never unsafe; a caller that wants
    /// all-or-nothing can simulate first or use `redeem`. Entries are applied in order, so the same channel may
    /// appear twice with increasing amounts. If nothing is valid, nothing is transferred and the call succeeds.
    /// Signatures are checked by ECDSA only, so no entry calls out to any contract before the one token transfer.
    /// Emits `Redeemed` per paid entry.
    /// @param redemptions The entries, each `(channelId, amount, authorized, signature)` as in `redeem`.
    function redeemMany(Redemption[] calldata redemptions) external nonReentrant {
        uint256 total;
        uint256 count = redemptions.length;
        for (uint256 i; i < count; ++i) {
            Redemption calldata r = redemptions[i];
            total += _redeem(r.channelId, r.amount, r.authorized, r.signature, false);
        }
        if (total != 0) _token.safeTransfer(msg.sender, total);
    }

    /// @notice Provider closes the channel at once: optionally redeems a last voucher, then refunds the rest of the
    /// deposit to the payer.
    /// @dev With `amount == 0` nothing is redeemed and `authorized`/`signature` are ignored (pass 0 and empty bytes).
    /// Otherwise the voucher is checked exactly as in `redeem` (so it must be within the challenge window and
    /// above the current total). Works with or without a pending close request. Emits `Redeemed` (if
    /// `amount != 0`) and `ChannelClosed`.
    /// @param channelId A channel of msg.sender that is not closed.
    /// @param amount The new cumulative total redeemed, or 0 to redeem nothing more.
    /// @param authorized The cumulative total the voucher authorizes.
    /// @param signature The signer's signature over `Voucher(channelId, authorized)`.
    function closeCooperatively(uint256 channelId, uint256 amount, uint256 authorized, bytes calldata signature)
        external
        nonReentrant
    {
        ChannelSlots storage c = _channels[channelId];
        uint256 paid;
        if (amount != 0) {
            paid = _redeem(channelId, amount, authorized, signature, true);
        } else {
            _requireProvider(c, channelId);
            if (c.closed) revert ComputeMarket_AlreadyClosed(channelId);
        }

        c.closed = true;
        c.ending = true;
        uint256 redeemed = c.redeemed;
        uint256 refund;
        // redeemed <= deposit always holds: redeem checks amount <= authorized <= deposit.
        unchecked {
            refund = c.deposit - redeemed;
        }
        emit ChannelClosed(channelId, refund, redeemed);

        if (paid != 0) _token.safeTransfer(msg.sender, paid);
        if (refund != 0) _token.safeTransfer(c.payer, refund);
    }

    // ------------------------------------------------------------------ internal

    /// @dev Hook: reverts unless `provider` may receive new channels.
    function _requireActiveProvider(address provider) internal view virtual;

    /// @dev Checks a voucher for msg.sender and records the new total. Returns what the provider is now owed
    /// (the caller transfers it). With `strict` a bad voucher reverts with a detailed error; otherwise it emits
    /// `RedemptionSkipped` and returns 0.
    function _redeem(uint256 channelId, uint256 amount, uint256 authorized, bytes calldata signature, bool strict)
        private
        returns (uint256 paid)
    {
        ChannelSlots storage c = _channels[channelId];
        address provider = c.provider;
        uint256 redeemed = c.redeemed;
        if (provider != msg.sender) {
            if (provider == address(0)) {
                return
                    _reject(strict, channelId, abi.encodeWithSelector(ComputeMarket_UnknownChannel.selector, channelId));
            }
            return _reject(
                strict, channelId, abi.encodeWithSelector(ComputeMarket_NotProvider.selector, channelId, msg.sender)
            );
        }
        if (c.ending) {
            // Slot 2 is read only here: a close was requested or the channel is closed.
            if (c.closed) {
                return
                    _reject(strict, channelId, abi.encodeWithSelector(ComputeMarket_AlreadyClosed.selector, channelId));
            }
            uint64 closesAt = c.closesAt;
            // Timestamp skew of seconds is irrelevant next to a challenge period of hours or days.
            // forge-lint: disable-next-line(block-timestamp)
            if (closesAt != 0 && block.timestamp > closesAt) {
                return _reject(
                    strict,
                    channelId,
                    abi.encodeWithSelector(ComputeMarket_ChallengeWindowOver.selector, channelId, closesAt)
                );
            }
        }
        if (amount > authorized) {
            return _reject(
                strict,
                channelId,
                abi.encodeWithSelector(ComputeMarket_AmountAboveAuthorized.selector, channelId, amount, authorized)
            );
        }
        uint256 deposit = c.deposit;
        if (authorized > deposit) {
            return _reject(
                strict,
                channelId,
                abi.encodeWithSelector(ComputeMarket_AuthorizedAboveDeposit.selector, channelId, authorized, deposit)
            );
        }
        if (amount <= redeemed) {
            return _reject(
                strict,
                channelId,
                abi.encodeWithSelector(ComputeMarket_StaleAmount.selector, channelId, amount, redeemed)
            );
        }
        if (!_isValidSignature(c.signer, _voucherDigest(channelId, authorized), signature)) {
            return
                _reject(strict, channelId, abi.encodeWithSelector(ComputeMarket_InvalidSignature.selector, channelId));
        }

        // casting to 'uint96' is safe because amount <= authorized <= deposit <= type(uint88).max, checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        c.redeemed = uint96(amount);
        // amount > redeemed, checked above.
        unchecked {
            paid = amount - redeemed;
        }
        emit Redeemed(channelId, msg.sender, paid, amount);
    }

    /// @dev Reverts with `err` if `strict`, else emits `RedemptionSkipped` with its selector. Returns 0 (paid).
    function _reject(bool strict, uint256 channelId, bytes memory err) private returns (uint256) {
        if (strict) {
            // Re-throw the ABI-encoded custom error as is.
            assembly ("memory-safe") {
                revert(add(err, 0x20), mload(err))
            }
        }
        // casting to 'bytes4' is safe because it keeps the selector, the first 4 bytes of the encoded error.
        // forge-lint: disable-next-line(unsafe-typecast)
        emit RedemptionSkipped(channelId, bytes4(err));
        return 0;
    }

    /// @dev True if `signature` is `signer`'s 65-byte ECDSA signature over `digest` (read from calldata; high-s and bad
    /// v rejected by OZ ECDSA). ECDSA only, by design: no ERC-1271 path, so no signer can revoke a voucher it signed
    /// (see the contract's notes).
    function _isValidSignature(address signer, bytes32 digest, bytes calldata signature) private pure returns (bool) {
        if (signature.length != 65) return false;
        bytes32 r;
        bytes32 s;
        uint8 v;
        // Split (r, s, v) out of calldata without copying the signature to memory.
        assembly ("memory-safe") {
            r := calldataload(signature.offset)
            s := calldataload(add(signature.offset, 0x20))
            v := byte(0, calldataload(add(signature.offset, 0x40)))
        }
        (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, v, r, s);
        return err == ECDSA.RecoverError.NoError && recovered == signer;
    }

    /// @dev The payment token (for the bonds).
    function _paymentToken() internal view returns (IERC20) {
        return _token;
    }

    /// @dev A channel's payer, provider and redeemed total (for the bonds); reverts for an unknown channel.
    function _channelView(uint256 channelId) internal view returns (address payer, address provider, uint256 redeemed) {
        ChannelSlots storage c = _channels[channelId];
        if (c.payer == address(0)) revert ComputeMarket_UnknownChannel(channelId);
        return (c.payer, c.provider, c.redeemed);
    }

    /// @dev EIP-712 digest of `Voucher(channelId, authorized)` under this market's domain.
    function _voucherDigest(uint256 channelId, uint256 authorized) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(VOUCHER_TYPEHASH, channelId, authorized)));
    }

    /// @dev Reverts unless msg.sender is the payer of the existing channel `c`.
    function _requirePayer(ChannelSlots storage c, uint256 channelId) private view {
        address payer = c.payer;
        if (payer != msg.sender) {
            if (payer == address(0)) revert ComputeMarket_UnknownChannel(channelId);
            revert ComputeMarket_NotPayer(channelId, msg.sender);
        }
    }

    /// @dev Reverts unless msg.sender is the provider of the existing channel `c`.
    function _requireProvider(ChannelSlots storage c, uint256 channelId) private view {
        address provider = c.provider;
        if (provider != msg.sender) {
            if (provider == address(0)) revert ComputeMarket_UnknownChannel(channelId);
            revert ComputeMarket_NotProvider(channelId, msg.sender);
        }
    }
}

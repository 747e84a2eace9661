// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {AggregatorV3Interface} from "../interfaces/AggregatorV3Interface.sol";
import {IUniswapV3PoolMinimal, ISwapRouterMinimal} from "../interfaces/IUniswapV3Minimal.sol";

/// @title YieldConverter
/// @notice The ETH vault's beneficiary: it receives harvested yield in `tokenIn` (WETH) and converts
/// all of it into `tokenOut` (the payment token) through one Uniswap v3 pool, for one fixed recipient
/// (the agent's TBA). Anyone may call `convert`: nothing about it is chosen by the caller.
/// @dev Safety, in the order `convert` checks it:
/// 1. The oracle (a Chainlink AggregatorV3Interface) must be fresh (`updatedAt` within
///    `maxOracleAge`), complete and positive, else `YieldConverter_StaleOracle` / `_BadOraclePrice`.
/// 2. The pool's spot price must be within `maxSlippageBps` of the oracle's, else
///    `YieldConverter_PoolOff`: a pool moved by a flash loan or a front-runner is refused before
///    any swap.
/// 3. The swap's minimum out is the oracle value minus `maxSlippageBps`; the router reverts below it
///    and the converter re-checks what the recipient received.
/// A refusal reverts and moves nothing: the yield waits here (only `convert` can move it, only to the
/// recipient) for the next try. So a sandwich extracts at most `maxSlippageBps` of the oracle value
/// (fee and price impact included), and a caller cannot pick the recipient, the amount or the path.
/// The bound and the oracle age are set by the owner (the timelock, in a self-owned world: the
/// charter's conversion limits), capped by `MAX_SLIPPAGE_BPS`.
contract YieldConverter is Ownable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    // ------------------------------------------------------------------ errors

    /// @notice A zero address was given.
    error YieldConverter_ZeroAddress();
    /// @notice The pool does not trade `tokenIn` against `tokenOut`.
    error YieldConverter_PoolMismatch(address pool, address tokenIn, address tokenOut);
    /// @notice The slippage bound is above `MAX_SLIPPAGE_BPS` or zero.
    error YieldConverter_SlippageOutOfRange(uint16 bps, uint16 maxBps);
    /// @notice The oracle age bound is zero.
    error YieldConverter_ZeroOracleAge();
    /// @notice The oracle's latest answer is from `updatedAt`, older than `maxAge` seconds.
    error YieldConverter_StaleOracle(uint256 updatedAt, uint32 maxAge);
    /// @notice The oracle answered a non-positive or incomplete round.
    error YieldConverter_BadOraclePrice(int256 answer);
    /// @notice The pool's spot value `spotOut` of the input is off the oracle's `oracleOut` by more
    /// than the bound.
    error YieldConverter_PoolOff(uint256 spotOut, uint256 oracleOut, uint16 maxSlippageBps);
    /// @notice The recipient received `received`, less than `minOut`.
    error YieldConverter_InsufficientOutput(uint256 received, uint256 minOut);

    // ------------------------------------------------------------------ events

    /// @notice `amountIn` was converted into `amountOut` for the recipient, with the oracle at
    /// `price` valuing the input at `oracleOut` and the minimum out at `minOut`.
    event Converted(
        address indexed caller, uint256 amountIn, uint256 amountOut, uint256 oracleOut, uint256 minOut, int256 price
    );
    /// @notice The bounds changed.
    event BoundsSet(uint16 maxSlippageBps, uint32 maxOracleAge);

    // ------------------------------------------------------------------ storage

    /// @notice Highest slippage bound the owner may set: 10%.
    uint16 public constant MAX_SLIPPAGE_BPS = 1_000;
    uint256 private constant _BPS = 10_000;
    uint256 private constant _Q96 = 2 ** 96;

    IERC20 private immutable _tokenIn;
    IERC20 private immutable _tokenOut;
    ISwapRouterMinimal private immutable _router;
    IUniswapV3PoolMinimal private immutable _pool;
    AggregatorV3Interface private immutable _feed;
    address private immutable _recipient;
    uint24 private immutable _fee;
    bool private immutable _inIsToken0;
    /// @dev 10^(decimals of tokenIn + decimals of the feed - decimals of tokenOut) split as a
    /// numerator and a denominator, so that out = in * price * num / den.
    uint256 private immutable _scaleNum;
    uint256 private immutable _scaleDen;

    uint16 private _maxSlippageBps;
    uint32 private _maxOracleAge;
    uint256 private _totalIn;
    uint256 private _totalOut;

    // ------------------------------------------------------------------ constructor

    /// @param tokenIn_ What yield arrives in (WETH).
    /// @param tokenOut_ What the recipient is paid in (USDx, USDC).
    /// @param router_ Uniswap v3 SwapRouter.
    /// @param pool_ The tokenIn/tokenOut pool the router swaps through (its fee tier is used).
    /// @param feed_ Price of one tokenIn in tokenOut's unit (e.g. ETH / USD).
    /// @param recipient_ Who receives every conversion (the agent's TBA).
    /// @param maxSlippageBps_ Bound on spot deviation and on the swap's loss against the oracle.
    /// @param maxOracleAge_ Seconds an oracle answer stays usable.
    /// @param owner_ Who may change the bounds (the timelock).
    constructor(
        IERC20 tokenIn_,
        IERC20 tokenOut_,
        ISwapRouterMinimal router_,
        IUniswapV3PoolMinimal pool_,
        AggregatorV3Interface feed_,
        address recipient_,
        uint16 maxSlippageBps_,
        uint32 maxOracleAge_,
        address owner_
    ) Ownable(owner_) {
        if (
            address(tokenIn_) == address(0) || address(tokenOut_) == address(0) || address(router_) == address(0)
                || address(pool_) == address(0) || address(feed_) == address(0) || recipient_ == address(0)
        ) revert YieldConverter_ZeroAddress();
        address token0 = pool_.token0();
        address token1 = pool_.token1();
        bool inIs0 = token0 == address(tokenIn_) && token1 == address(tokenOut_);
        if (!inIs0 && !(token1 == address(tokenIn_) && token0 == address(tokenOut_))) {
            revert YieldConverter_PoolMismatch(address(pool_), address(tokenIn_), address(tokenOut_));
        }
        _tokenIn = tokenIn_;
        _tokenOut = tokenOut_;
        _router = router_;
        _pool = pool_;
        _feed = feed_;
        _recipient = recipient_;
        _fee = pool_.fee();
        _inIsToken0 = inIs0;
        uint256 inDecimals = IERC20Metadata(address(tokenIn_)).decimals();
        uint256 outDecimals = IERC20Metadata(address(tokenOut_)).decimals();
        uint256 feedDecimals = feed_.decimals();
        if (inDecimals + feedDecimals >= outDecimals) {
            _scaleNum = 1;
            _scaleDen = 10 ** (inDecimals + feedDecimals - outDecimals);
        } else {
            _scaleNum = 10 ** (outDecimals - inDecimals - feedDecimals);
            _scaleDen = 1;
        }
        _setBounds(maxSlippageBps_, maxOracleAge_);
    }

    // ------------------------------------------------------------------ external

    /// @notice Converts every `tokenIn` held into `tokenOut` for the recipient, or reverts (and moves
    /// nothing) if the oracle is stale, the pool is off the oracle, or the swap would lose more than
    /// the bound. Anyone may call.
    /// @return amountOut What the recipient received (0 when nothing was held).
    function convert() external nonReentrant returns (uint256 amountOut) {
        uint256 amountIn = _tokenIn.balanceOf(address(this));
        if (amountIn == 0) return 0;
        (uint256 oracleOut, int256 price) = _oracleOut(amountIn);
        uint16 bps = _maxSlippageBps;
        uint256 minOut = Math.mulDiv(oracleOut, _BPS - bps, _BPS);
        uint256 spotOut = _spotOut(amountIn);
        if (spotOut < minOut || spotOut > Math.mulDiv(oracleOut, _BPS + bps, _BPS)) {
            revert YieldConverter_PoolOff(spotOut, oracleOut, bps);
        }

        uint256 before = _tokenOut.balanceOf(_recipient);
        _tokenIn.forceApprove(address(_router), amountIn);
        _router.exactInputSingle(
            ISwapRouterMinimal.ExactInputSingleParams({
                tokenIn: address(_tokenIn),
                tokenOut: address(_tokenOut),
                fee: _fee,
                recipient: _recipient,
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: minOut,
                sqrtPriceLimitX96: 0
            })
        );
        amountOut = _tokenOut.balanceOf(_recipient) - before;
        if (amountOut < minOut) revert YieldConverter_InsufficientOutput(amountOut, minOut);
        _totalIn += amountIn;
        _totalOut += amountOut;
        emit Converted(msg.sender, amountIn, amountOut, oracleOut, minOut, price);
    }

    /// @notice Sets the slippage bound and the oracle age; only the owner.
    /// @param maxSlippageBps_ In (0, `MAX_SLIPPAGE_BPS`].
    /// @param maxOracleAge_ Seconds, non-zero.
    function setBounds(uint16 maxSlippageBps_, uint32 maxOracleAge_) external onlyOwner {
        _setBounds(maxSlippageBps_, maxOracleAge_);
    }

    /// @notice What `convert` would do now with `amountIn`: the oracle value, the minimum out and the
    /// pool's spot value. Reverts as `convert` would on a stale or bad oracle.
    /// @param amountIn Input amount to quote.
    /// @return oracleOut Value at the oracle price.
    /// @return minOut The minimum the swap must pay.
    /// @return spotOut Value at the pool's spot price (before fee and impact).
    function quote(uint256 amountIn) external view returns (uint256 oracleOut, uint256 minOut, uint256 spotOut) {
        (oracleOut,) = _oracleOut(amountIn);
        minOut = Math.mulDiv(oracleOut, _BPS - _maxSlippageBps, _BPS);
        spotOut = _spotOut(amountIn);
    }

    /// @notice The fixed recipient of every conversion.
    /// @return The recipient.
    function recipient() external view returns (address) {
        return _recipient;
    }

    /// @notice The tokens, router, pool and feed.
    /// @return tokenIn_ Input token.
    /// @return tokenOut_ Output token.
    /// @return router_ Router.
    /// @return pool_ Pool.
    /// @return feed_ Oracle.
    function route()
        external
        view
        returns (address tokenIn_, address tokenOut_, address router_, address pool_, address feed_)
    {
        return (address(_tokenIn), address(_tokenOut), address(_router), address(_pool), address(_feed));
    }

    /// @notice The bounds.
    /// @return maxSlippageBps_ Slippage bound in basis points.
    /// @return maxOracleAge_ Oracle age bound in seconds.
    function bounds() external view returns (uint16 maxSlippageBps_, uint32 maxOracleAge_) {
        return (_maxSlippageBps, _maxOracleAge);
    }

    /// @notice Totals converted so far (their ratio is the average price realized).
    /// @return totalIn_ Input converted.
    /// @return totalOut_ Output received by the recipient.
    function totals() external view returns (uint256 totalIn_, uint256 totalOut_) {
        return (_totalIn, _totalOut);
    }

    // ------------------------------------------------------------------ internal

    function _setBounds(uint16 maxSlippageBps_, uint32 maxOracleAge_) internal {
        if (maxSlippageBps_ == 0 || maxSlippageBps_ > MAX_SLIPPAGE_BPS) {
            revert YieldConverter_SlippageOutOfRange(maxSlippageBps_, MAX_SLIPPAGE_BPS);
        }
        if (maxOracleAge_ == 0) revert YieldConverter_ZeroOracleAge();
        _maxSlippageBps = maxSlippageBps_;
        _maxOracleAge = maxOracleAge_;
        emit BoundsSet(maxSlippageBps_, maxOracleAge_);
    }

    /// @dev `amountIn` valued at a fresh oracle price, in tokenOut units (rounded down).
    function _oracleOut(uint256 amountIn) internal view returns (uint256 oracleOut, int256 price) {
        (uint80 roundId, int256 answer,, uint256 updatedAt, uint80 answeredInRound) = _feed.latestRoundData();
        if (answer <= 0 || answeredInRound < roundId) revert YieldConverter_BadOraclePrice(answer);
        uint32 maxAge = _maxOracleAge;
        if (updatedAt == 0 || updatedAt > block.timestamp || block.timestamp - updatedAt > maxAge) {
            revert YieldConverter_StaleOracle(updatedAt, maxAge);
        }
        price = answer;
        // casting to 'uint256' is safe because answer > 0, checked above.
        // forge-lint: disable-next-line(unsafe-typecast)
        oracleOut = Math.mulDiv(amountIn, uint256(answer) * _scaleNum, _scaleDen);
    }

    /// @dev `amountIn` valued at the pool's spot price (sqrtPriceX96 squared), rounded down.
    function _spotOut(uint256 amountIn) internal view returns (uint256) {
        (uint160 sqrtPriceX96,,,,,,) = _pool.slot0();
        if (_inIsToken0) return Math.mulDiv(Math.mulDiv(amountIn, sqrtPriceX96, _Q96), sqrtPriceX96, _Q96);
        return Math.mulDiv(Math.mulDiv(amountIn, _Q96, sqrtPriceX96), _Q96, sqrtPriceX96);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {USDx} from "../../src/assets/USDx.sol";
import {WETH} from "../../src/assets/WETH.sol";
import {StakedEther} from "../../src/assets/StakedEther.sol";
import {YieldVault} from "../../src/YieldVault.sol";
import {PriceFeed} from "../../src/conversion/PriceFeed.sol";
import {YieldConverter} from "../../src/conversion/YieldConverter.sol";
import {EthStakeGateway} from "../../src/conversion/EthStakeGateway.sol";
import {AggregatorV3Interface} from "../../src/interfaces/AggregatorV3Interface.sol";
import {IUniswapV3PoolMinimal, ISwapRouterMinimal} from "../../src/interfaces/IUniswapV3Minimal.sol";

/// @dev Uniswap v3 factory's pool creation.
interface IUniswapV3FactoryLike {
    function createPool(address tokenA, address tokenB, uint24 fee) external returns (address pool);
}

/// @dev NonfungiblePositionManager's pool initialization and mint.
interface IPositionManagerLike {
    struct MintParams {
        address token0;
        address token1;
        uint24 fee;
        int24 tickLower;
        int24 tickUpper;
        uint256 amount0Desired;
        uint256 amount1Desired;
        uint256 amount0Min;
        uint256 amount1Min;
        address recipient;
        uint256 deadline;
    }

    function createAndInitializePoolIfNecessary(address token0, address token1, uint24 fee, uint160 sqrtPriceX96)
        external
        payable
        returns (address pool);

    function mint(MintParams calldata params)
        external
        payable
        returns (uint256 tokenId, uint128 liquidity, uint256 amount0, uint256 amount1);
}

/// @dev The devnet's ETH world: WETH, the wstETH-like source (3% APR, funded reserve), the ETH vault
/// (7-day lock) whose beneficiary is the converter, USDx, an ETH/USD feed at $3,000, and Uniswap v3
/// (factory, SwapRouter, NonfungiblePositionManager) deployed from the npm artifacts with a 0.3%
/// WETH/USDx pool seeded full range with 1,000 WETH and 3,000,000 USDx.
abstract contract ConversionFixture is Test {
    uint16 internal constant APR_BPS = 300;
    uint64 internal constant LOCK = 7 days;
    uint24 internal constant FEE = 3_000;
    int256 internal constant PRICE = 3_000e8;
    uint16 internal constant SLIPPAGE_BPS = 100;
    uint32 internal constant ORACLE_AGE = 1 hours;
    uint256 internal constant POOL_WETH = 1_000 ether;

    address internal owner = makeAddr("owner");
    address internal tba = makeAddr("tba");
    address internal lp = makeAddr("lp");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    WETH internal weth;
    USDx internal usdx;
    StakedEther internal steth;
    YieldVault internal vault;
    EthStakeGateway internal gateway;
    PriceFeed internal feed;
    YieldConverter internal converter;
    IUniswapV3FactoryLike internal factory;
    ISwapRouterMinimal internal router;
    IPositionManagerLike internal positions;
    IUniswapV3PoolMinimal internal pool;

    function setUp() public virtual {
        vm.warp(1_750_000_000);
        weth = new WETH();
        usdx = new USDx(owner);
        feed = new PriceFeed(8, "ETH / USD", PRICE, owner);
        steth = new StakedEther(IERC20(address(weth)), APR_BPS, owner);
        _fundRewards(1_000 ether);

        factory = IUniswapV3FactoryLike(_deployArtifact("v3-core", "UniswapV3Factory", ""));
        router = ISwapRouterMinimal(
            _deployArtifact("v3-periphery", "SwapRouter", abi.encode(address(factory), address(weth)))
        );
        positions = IPositionManagerLike(
            _deployArtifact(
                "v3-periphery", "NonfungiblePositionManager", abi.encode(address(factory), address(weth), address(1))
            )
        );
        pool = IUniswapV3PoolMinimal(_seedPool(PRICE, POOL_WETH));

        converter = new YieldConverter(
            IERC20(address(weth)),
            IERC20(address(usdx)),
            router,
            pool,
            AggregatorV3Interface(address(feed)),
            tba,
            SLIPPAGE_BPS,
            ORACLE_AGE,
            owner
        );
        vault = new YieldVault(IERC20(address(weth)), IERC4626(address(steth)), address(converter), LOCK);
        gateway = new EthStakeGateway(address(weth), vault);
    }

    /// @dev Deploys `name` from `node_modules/@uniswap/<pkg>/artifacts` with encoded constructor args.
    function _deployArtifact(string memory pkg, string memory name, bytes memory args) internal returns (address at) {
        string memory path = string.concat(
            "node_modules/@uniswap/", pkg, "/artifacts/contracts/", name, ".sol/", name, ".json"
        );
        bytes memory code = abi.encodePacked(vm.parseJsonBytes(vm.readFile(path), ".bytecode"), args);
        assembly ("memory-safe") {
            at := create(0, add(code, 0x20), mload(code))
        }
        require(at != address(0), name);
    }

    /// @dev Creates, initializes at `price` (8 decimals, USDx per WETH) and seeds full range.
    function _seedPool(int256 price, uint256 wethAmount) internal returns (address poolAddress) {
        uint256 usdxAmount = wethAmount * uint256(price) / 1e20; // 18 + 8 - 6 decimals
        (address token0, address token1) =
            address(weth) < address(usdx) ? (address(weth), address(usdx)) : (address(usdx), address(weth));
        (uint256 amount0, uint256 amount1) =
            token0 == address(weth) ? (wethAmount, usdxAmount) : (usdxAmount, wethAmount);
        uint160 sqrtPriceX96 = uint160(Math.sqrt(Math.mulDiv(amount1, 2 ** 192, amount0)));
        poolAddress = positions.createAndInitializePoolIfNecessary(token0, token1, FEE, sqrtPriceX96);
        _wethTo(lp, wethAmount);
        vm.prank(owner);
        usdx.mint(lp, usdxAmount);
        vm.startPrank(lp);
        weth.approve(address(positions), type(uint256).max);
        usdx.approve(address(positions), type(uint256).max);
        positions.mint(
            IPositionManagerLike.MintParams({
                token0: token0,
                token1: token1,
                fee: FEE,
                tickLower: -887_220,
                tickUpper: 887_220,
                amount0Desired: amount0,
                amount1Desired: amount1,
                amount0Min: 0,
                amount1Min: 0,
                recipient: lp,
                deadline: block.timestamp
            })
        );
        vm.stopPrank();
    }

    function _wethTo(address who, uint256 amount) internal {
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        weth.deposit{value: amount}();
    }

    function _fundRewards(uint256 amount) internal {
        _wethTo(owner, amount);
        vm.startPrank(owner);
        weth.approve(address(steth), amount);
        steth.fundRewards(amount);
        vm.stopPrank();
    }

    /// @dev `who` stakes `amount` ether through the gateway.
    function _stakeEth(address who, uint256 amount) internal {
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        gateway.stake{value: amount}();
    }

    /// @dev `who` swaps `amountIn` of `tokenIn` through the router (a trader, an attacker).
    function _swap(address who, address tokenIn, uint256 amountIn) internal returns (uint256 out) {
        address tokenOut = tokenIn == address(weth) ? address(usdx) : address(weth);
        if (tokenIn == address(weth)) {
            _wethTo(who, amountIn);
        } else {
            vm.prank(owner);
            usdx.mint(who, amountIn);
        }
        vm.startPrank(who);
        IERC20(tokenIn).approve(address(router), amountIn);
        out = router.exactInputSingle(
            ISwapRouterMinimal.ExactInputSingleParams({
                tokenIn: tokenIn,
                tokenOut: tokenOut,
                fee: FEE,
                recipient: who,
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: 0,
                sqrtPriceLimitX96: 0
            })
        );
        vm.stopPrank();
    }

    /// @dev The treasury republishes the price (a fresh round), as `y2c price set` does.
    function _refreshFeed() internal {
        vm.prank(owner);
        feed.setPrice(PRICE);
    }

    /// @dev Oracle value of `wethAmount` in USDx at `PRICE`.
    function _oracleValue(uint256 wethAmount) internal pure returns (uint256) {
        return wethAmount * uint256(PRICE) / 1e20;
    }
}

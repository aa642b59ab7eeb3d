using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Simd;

/// <summary>
/// A logit soft-cap c (z = c * tanh(x / c)) applied to vectors of float or double. Float logits below 0.55 c get z
/// within 1 ulp from a polynomial in float (<see cref="SoftcapMath{T, TS, TV}.Near"/>); above, <see cref="Apply{TV}(TV)"/>
/// stays in float (within 4 ulp) and <see cref="ApplyPrecise{TV}(TV)"/> computes z in double, rounded once: z then keeps
/// its precision everywhere, which matters where p = exp(z - lse) is taken from a saved log-sum-exp (an ulp of z at 30
/// moves p by 2e-6).
/// For generated code only: not intended to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct LogitCap
{
    /// <summary>Initializes a new instance of the <see cref="LogitCap"/> struct.</summary>
    /// <param name="cap">c, positive (0 gives a cap that must not be applied).</param>
    public LogitCap(double cap)
    {
        Cap = cap;
        Inverse = cap == 0 ? 0 : 1.0 / cap;
        FloatCap = (float)cap;
        FloatInverse = (float)Inverse;
    }

    private float FloatCap { get; }

    private float FloatInverse { get; }

    /// <summary>Gets c.</summary>
    public double Cap { get; }

    /// <summary>Gets 1 / c.</summary>
    public double Inverse { get; }

    /// <summary>1 / c as the float and double paths use it (float: rounded once from the double).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal T InverseAs<T>()
        where T : unmanaged
        => typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>(FloatInverse) : Unsafe.BitCast<double, T>(Inverse);

    /// <summary>z = c * tanh(x / c) and its slope dz/dx = sech^2(x / c), lane by lane (float within 4 ulp).</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float or double, or float or double itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="slope">dz/dx.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV>(TV x, out TV slope)
        where TV : struct
        => Dispatch<TV, Fast, WithSlope>(x, out slope);

    /// <summary>z = c * tanh(x / c), lane by lane (float within 4 ulp).</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float or double, or float or double itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV>(TV x)
        where TV : struct
        => Dispatch<TV, Fast, WithoutSlope>(x, out _);

    /// <summary>z and its slope, float z within 1 ulp (past 0.55 c computed in double and rounded once).</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float or double, or float or double itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="slope">dz/dx.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV ApplyPrecise<TV>(TV x, out TV slope)
        where TV : struct
        => Dispatch<TV, Precise, WithSlope>(x, out slope);

    /// <summary>z, float z within 1 ulp (past 0.55 c computed in double and rounded once).</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float or double, or float or double itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV ApplyPrecise<TV>(TV x)
        where TV : struct
        => Dispatch<TV, Precise, WithoutSlope>(x, out _);

    // Type flags, so that every choice is made when the JIT specialises a call and only one path's code is inlined
    // (with run-time flags every path was, and the row loops ran out of inlining budget).
    private interface IFlag
    {
        static abstract bool IsSet { get; }
    }

    private readonly struct Precise : IFlag
    {
        public static bool IsSet => true;
    }

    private readonly struct Fast : IFlag
    {
        public static bool IsSet => false;
    }

    private readonly struct WithSlope : IFlag
    {
        public static bool IsSet => true;
    }

    private readonly struct WithoutSlope : IFlag
    {
        public static bool IsSet => false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Dispatch<TV, TPrecise, TSlope>(TV x, out TV slope)
        where TV : struct
        where TPrecise : struct, IFlag
        where TSlope : struct, IFlag
    {
        bool withSlope = TSlope.IsSet;
        if (typeof(TV) == typeof(Vector512<float>))
        {
            return Float<TV, Simd512<float>, Vector512<float>, TPrecise>(x, out slope, withSlope);
        }

        if (typeof(TV) == typeof(Vector256<float>))
        {
            return Float<TV, Simd256<float>, Vector256<float>, TPrecise>(x, out slope, withSlope);
        }

        if (typeof(TV) == typeof(Vector128<float>))
        {
            return Float<TV, Simd128<float>, Vector128<float>, TPrecise>(x, out slope, withSlope);
        }

        if (typeof(TV) == typeof(float))
        {
            return Float<TV, Scalar<float>, float, TPrecise>(x, out slope, withSlope);
        }

        if (typeof(TV) == typeof(Vector512<double>))
        {
            return Double<TV, Simd512<double>, Vector512<double>>(x, out slope, withSlope);
        }

        if (typeof(TV) == typeof(Vector256<double>))
        {
            return Double<TV, Simd256<double>, Vector256<double>>(x, out slope, withSlope);
        }

        if (typeof(TV) == typeof(Vector128<double>))
        {
            return Double<TV, Simd128<double>, Vector128<double>>(x, out slope, withSlope);
        }

        return Double<TV, Scalar<double>, double>(x, out slope, withSlope);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Double<TV, TS, TVD>(TV x, out TV slope, bool withSlope)
        where TV : struct
        where TS : struct, ISimd<double, TVD>
        where TVD : struct
    {
        Unsafe.SkipInit(out slope);
        return As<TVD, TV>(SoftcapMath<double, TS, TVD>.Cap(As<TV, TVD>(x), TS.Broadcast(Cap), TS.Broadcast(Inverse), out As<TV, TVD>(ref slope), withSlope));
    }

    // Float at any width: the polynomial where every lane is in its range; past it the float formulas, or (precise) z
    // computed in double for the lanes out of range.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Float<TV, TS, TVF, TPrecise>(TV x, out TV slope, bool withSlope)
        where TV : struct
        where TS : struct, ISimd<float, TVF>
        where TVF : struct
        where TPrecise : struct, IFlag
    {
        Unsafe.SkipInit(out slope);
        TVF inverse = TS.Broadcast(FloatInverse);
        if (!TPrecise.IsSet)
        {
            return As<TVF, TV>(SoftcapMath<float, TS, TVF>.Cap(As<TV, TVF>(x), TS.Broadcast(FloatCap), inverse, out As<TV, TVF>(ref slope), withSlope));
        }

        if (SoftcapMath<float, TS, TVF>.Near(As<TV, TVF>(x), inverse, out TVF near, out TVF u))
        {
            As<TV, TVF>(ref slope) = withSlope ? SoftcapMath<float, TS, TVF>.NearSlope(near, inverse) : default;
            return As<TVF, TV>(near);
        }

        TVF far = InDouble(As<TV, TVF>(x), out TVF farSlope, withSlope);
        return As<TVF, TV>(SoftcapMath<float, TS, TVF>.Choose(u, near, inverse, far, farSlope, out As<TV, TVF>(ref slope), withSlope));
    }

    // z of float lanes computed in double and rounded once: out of line, only lanes past 0.55 c need it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private TVF InDouble<TVF>(TVF x, out TVF slope, bool withSlope)
        where TVF : struct
    {
        Unsafe.SkipInit(out slope);
        if (typeof(TVF) == typeof(Vector512<float>))
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(As<TVF, Vector512<float>>(x));
            Vector512<double> c = Vector512.Create(Cap);
            Vector512<double> inverse = Vector512.Create(Inverse);
            Vector512<double> zLow = SoftcapMath<double, Simd512<double>, Vector512<double>>.Cap(low, c, inverse, out Vector512<double> sLow, withSlope);
            Vector512<double> zHigh = SoftcapMath<double, Simd512<double>, Vector512<double>>.Cap(high, c, inverse, out Vector512<double> sHigh, withSlope);
            As<TVF, Vector512<float>>(ref slope) = withSlope ? Vector512.Narrow(sLow, sHigh) : default;
            return As<Vector512<float>, TVF>(Vector512.Narrow(zLow, zHigh));
        }

        if (typeof(TVF) == typeof(Vector256<float>))
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(As<TVF, Vector256<float>>(x));
            Vector256<double> c = Vector256.Create(Cap);
            Vector256<double> inverse = Vector256.Create(Inverse);
            Vector256<double> zLow = SoftcapMath<double, Simd256<double>, Vector256<double>>.Cap(low, c, inverse, out Vector256<double> sLow, withSlope);
            Vector256<double> zHigh = SoftcapMath<double, Simd256<double>, Vector256<double>>.Cap(high, c, inverse, out Vector256<double> sHigh, withSlope);
            As<TVF, Vector256<float>>(ref slope) = withSlope ? Vector256.Narrow(sLow, sHigh) : default;
            return As<Vector256<float>, TVF>(Vector256.Narrow(zLow, zHigh));
        }

        if (typeof(TVF) == typeof(Vector128<float>))
        {
            (Vector128<double> low, Vector128<double> high) = Vector128.Widen(As<TVF, Vector128<float>>(x));
            Vector128<double> c = Vector128.Create(Cap);
            Vector128<double> inverse = Vector128.Create(Inverse);
            Vector128<double> zLow = SoftcapMath<double, Simd128<double>, Vector128<double>>.Cap(low, c, inverse, out Vector128<double> sLow, withSlope);
            Vector128<double> zHigh = SoftcapMath<double, Simd128<double>, Vector128<double>>.Cap(high, c, inverse, out Vector128<double> sHigh, withSlope);
            As<TVF, Vector128<float>>(ref slope) = withSlope ? Vector128.Narrow(sLow, sHigh) : default;
            return As<Vector128<float>, TVF>(Vector128.Narrow(zLow, zHigh));
        }

        double z = SoftcapMath<double, Scalar<double>, double>.Cap(As<TVF, float>(x), Cap, Inverse, out double s, withSlope);
        As<TVF, float>(ref slope) = (float)s;
        return As<float, TVF>((float)z);
    }

    /// <summary>
    /// Backward's log p = c tanh(x / c) / tau - lse of float logits, computed in double and rounded once: the float
    /// z's own rounding (an ulp at 30) would move p by 1e-6 relative, which the entropy's sums scale by lse.
    /// </summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float, or float itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="temperature">tau.</param>
    /// <param name="lse">The saved log-sum-exp.</param>
    /// <returns>log p, lane by lane.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal TV SavedLogProbability<TV>(TV x, double temperature, double lse)
        where TV : struct
    {
        if (typeof(TV) == typeof(Vector512<float>))
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(As<TV, Vector512<float>>(x));
            Vector512<double> c = Vector512.Create(Cap);
            Vector512<double> inverse = Vector512.Create(Inverse);
            Vector512<double> aLow = (SoftcapMath<double, Simd512<double>, Vector512<double>>.Cap(low, c, inverse, out _, false) / temperature) - Vector512.Create(lse);
            Vector512<double> aHigh = (SoftcapMath<double, Simd512<double>, Vector512<double>>.Cap(high, c, inverse, out _, false) / temperature) - Vector512.Create(lse);
            return As<Vector512<float>, TV>(Vector512.Narrow(aLow, aHigh));
        }

        if (typeof(TV) == typeof(Vector256<float>))
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(As<TV, Vector256<float>>(x));
            Vector256<double> c = Vector256.Create(Cap);
            Vector256<double> inverse = Vector256.Create(Inverse);
            Vector256<double> aLow = (SoftcapMath<double, Simd256<double>, Vector256<double>>.Cap(low, c, inverse, out _, false) / temperature) - Vector256.Create(lse);
            Vector256<double> aHigh = (SoftcapMath<double, Simd256<double>, Vector256<double>>.Cap(high, c, inverse, out _, false) / temperature) - Vector256.Create(lse);
            return As<Vector256<float>, TV>(Vector256.Narrow(aLow, aHigh));
        }

        if (typeof(TV) == typeof(Vector128<float>))
        {
            (Vector128<double> low, Vector128<double> high) = Vector128.Widen(As<TV, Vector128<float>>(x));
            Vector128<double> c = Vector128.Create(Cap);
            Vector128<double> inverse = Vector128.Create(Inverse);
            Vector128<double> aLow = (SoftcapMath<double, Simd128<double>, Vector128<double>>.Cap(low, c, inverse, out _, false) / temperature) - Vector128.Create(lse);
            Vector128<double> aHigh = (SoftcapMath<double, Simd128<double>, Vector128<double>>.Cap(high, c, inverse, out _, false) / temperature) - Vector128.Create(lse);
            return As<Vector128<float>, TV>(Vector128.Narrow(aLow, aHigh));
        }

        double z = SoftcapMath<double, Scalar<double>, double>.Cap(As<TV, float>(x), Cap, Inverse, out _, false);
        return As<float, TV>((float)((z / temperature) - lse));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TTo As<TFrom, TTo>(TFrom value) => Unsafe.As<TFrom, TTo>(ref value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref TTo As<TFrom, TTo>(ref TFrom value) => ref Unsafe.As<TFrom, TTo>(ref value);
}

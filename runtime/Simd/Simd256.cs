using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Simd;

internal readonly struct Simd256<T> : IBlockSimd<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Count;
    }
    public static Vector256<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;

    /// <summary>Fused (left * right) + addend for float or double lanes.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The fused multiply-add of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector256.FusedMultiplyAdd(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxNative(Vector256<T> left, Vector256<T> right) => Vector256.MaxNative(left, right);

    /// <summary>e^x for lanes with x &lt;= 0 or NaN (softmax exponents x - max), bit-identical on every call.</summary>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane; exactly 1 at 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> value)
        => typeof(T) == typeof(float)
            ? ExpFloat(value.As<T, float>()).As<float, T>()
            : ExpDouble(value.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectFromLane(int firstLane, Vector256<T> fresh, Vector256<T> old)
        => Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(firstLane))), fresh, old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalMax(Vector256<T> value)
        => Simd128<T>.HorizontalMax(Vector128.MaxNative(value.GetLower(), value.GetUpper()));

    // Halves added first (a tree), as Simd512 does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum(Vector256<T> value) => Simd128<T>.HorizontalSum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LoadTargets(ref int targets, int ignoreIndex)
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<int> t = Vector256.LoadUnsafe(ref targets);
            t = Vector256.ConditionalSelect(Vector256.Equals(t, Vector256.Create(ignoreIndex)), Vector256.Create(-1), t);
            return Vector256.ConvertToSingle(t).As<float, T>();
        }

        Vector128<int> narrow = Vector128.LoadUnsafe(ref targets);
        narrow = Vector128.ConditionalSelect(Vector128.Equals(narrow, Vector128.Create(ignoreIndex)), Vector128.Create(-1), narrow);
        (Vector128<long> lower, Vector128<long> upper) = Vector128.Widen(narrow);
        return Vector256.ConvertToDouble(Vector256.Create(lower, upper)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equals(Vector256<T> left, Vector256<T> right) => Vector256.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ConditionalSelect(Vector256<T> mask, Vector256<T> whenTrue, Vector256<T> whenFalse)
        => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> left, Vector256<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> left, Vector256<T> right) => Vector256.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> left, Vector256<T> right) => left / right;

    /// <summary>Natural log of lanes holding values of at least 1 (a row's sum of exps), bit-identical on every call.</summary>
    /// <param name="value">Values of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogAtLeastOne(Vector256<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return LogFloat(value.As<T, float>()).As<float, T>();
        }

        Vector256<double> d = value.As<T, double>();
        return Vector256.Create(Math.Log(d.GetElement(0)), Math.Log(d.GetElement(1)), Math.Log(d.GetElement(2)), Math.Log(d.GetElement(3))).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> left, Vector256<T> right) => Vector256.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Xor(Vector256<T> left, Vector256<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ToScalar(Vector256<T> value) => value.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllLessThan(Vector256<T> left, Vector256<T> right) => Vector256.LessThanAll(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstSetLane(Vector256<T> mask)
    {
        uint bits = mask.ExtractMostSignificantBits();
        return bits == 0 ? -1 : BitOperations.TrailingZeroCount(bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Vector256<T> value, ref Vector256<T> lower, ref Vector256<T> upper)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(value.AsSingle());
            lower = (lower.AsDouble() + low).As<double, T>();
            upper = (upper.AsDouble() + high).As<double, T>();
        }
        else
        {
            // Double lanes cannot widen: Kahan's compensated sum, lower the sum and upper the compensation.
            Vector256<T> term = value - upper;
            Vector256<T> next = lower + term;
            upper = (next - lower) - term;
            lower = next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Vector256<T> lower, Vector256<T> upper)
        => typeof(T) == typeof(float) ? Vector256.Sum(lower.AsDouble() + upper.AsDouble()) : Vector256.Sum(lower.AsDouble()) - Vector256.Sum(upper.AsDouble());

    // The float and double exp and log of this width; their constants are in LsrFloatMath and LsrDoubleMath.

    /// <summary>
    /// e^x for float lanes with x &lt;= 0 (or NaN), as every softmax exponent x - max is. With AVX-512 (DQ, VL):
    /// x log2(e) split by vreduceps into an integer and a fraction f in [0, 1), a degree-5 polynomial for 2^f, vscalefps
    /// for the rest (subnormal results down to -103.3); relative error below 1.8e-7 + 7.5e-8 |x|. Otherwise one FMA
    /// range reduction to x = n ln2 + t, a degree-5 polynomial for e^t (the XNNPACK rr2-p5 scheme) and 2^n built in
    /// the exponent bits (0 below -87.34); max error 2 ulp in the normal range. Exactly 1 at 0 either way; 3 to 4 times
    /// faster than the BCL's general exp.
    /// </summary>
    /// <param name="x">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpFloat(Vector256<float> x)
    {
        if (Avx512DQ.VL.IsSupported)
        {
            return ExpFloatReduced(x);
        }

        Vector256<float> n = Vector256.FusedMultiplyAdd(x, Vector256.Create(LsrFloatMath.Log2E), Vector256.Create(LsrFloatMath.MagicBias));
        Vector256<float> scale = Vector256.ShiftLeft(n.AsInt32(), 23).AsSingle();
        n -= Vector256.Create(LsrFloatMath.MagicBias);
        Vector256<float> t = Vector256.FusedMultiplyAdd(n, Vector256.Create(LsrFloatMath.MinusLn2Hi), x);
        t = Vector256.FusedMultiplyAdd(n, Vector256.Create(LsrFloatMath.MinusLn2Lo), t);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(LsrFloatMath.C5), t, Vector256.Create(LsrFloatMath.C4));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(LsrFloatMath.C3));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(LsrFloatMath.C2));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(LsrFloatMath.C1));
        t *= scale;
        Vector256<float> result = Vector256.FusedMultiplyAdd(t, p, scale);
        result = Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(LsrFloatMath.DenormalCutoff)));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    // The 256-bit form of the AVX-512 path above (AVX512VL).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpFloatReduced(Vector256<float> x)
    {
        Vector256<float> u = x * Vector256.Create(LsrFloatMath.Log2E);
        Vector256<float> f = Avx512DQ.VL.Reduce(u, LsrFloatMath.FloorFraction);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(LsrFloatMath.B5), f, Vector256.Create(LsrFloatMath.B4));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(LsrFloatMath.B3));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(LsrFloatMath.B2));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(LsrFloatMath.B1));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256<float>.One);
        return Avx512F.VL.Scale(p, u);
    }

    /// <summary>
    /// Natural log for float lanes holding finite values &gt;= 1 (a softmax row's sum of exps lies in [1, K]), or NaN:
    /// exponent and mantissa split, mantissa folded into [sqrt(1/2), sqrt(2)), then 2 atanh((m - 1) / (m + 1)) as an odd
    /// polynomial. Inlined, unlike the BCL's log. Max error about 1 ulp.
    /// </summary>
    /// <param name="x">Values of at least 1.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> LogFloat(Vector256<float> x)
    {
        Vector256<int> bits = x.AsInt32();
        // Fold the mantissa into [sqrt(1/2), sqrt(2)): subtract the bits of sqrt(1/2) before taking the exponent.
        Vector256<int> shifted = bits - Vector256.Create(0x3F3504F3);
        Vector256<int> exponent = Vector256.ShiftRightArithmetic(shifted, 23);
        Vector256<float> m = (bits - Vector256.ShiftLeft(exponent, 23)).AsSingle();
        Vector256<float> f = (m - Vector256<float>.One) / (m + Vector256<float>.One);
        Vector256<float> f2 = f * f;
        Vector256<float> poly = Vector256.FusedMultiplyAdd(f2, Vector256.Create(2f / 9), Vector256.Create(2f / 7));
        poly = Vector256.FusedMultiplyAdd(poly, f2, Vector256.Create(2f / 5));
        poly = Vector256.FusedMultiplyAdd(poly, f2, Vector256.Create(2f / 3));
        poly = Vector256.FusedMultiplyAdd(poly, f2, Vector256.Create(2f));
        Vector256<float> logM = poly * f;
        Vector256<float> e = Vector256.ConvertToSingle(exponent);
        Vector256<float> result = Vector256.FusedMultiplyAdd(e, Vector256.Create(LsrFloatMath.Ln2Hi), Vector256.FusedMultiplyAdd(e, Vector256.Create(LsrFloatMath.Ln2Lo), logM));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>
    /// e^x for double lanes with x &lt;= 0 (or NaN): Cody-Waite reduction x = n ln2 + r, |r| &lt;= ln2/2, 2^n applied with
    /// vscalefpd where AVX-512 has it (else built in the exponent bits), and the degree-12 Taylor polynomial of e^r with fused multiply-adds only, so every call and every
    /// JIT tier gives the same bits (the BCL's vector exp uses MultiplyAddEstimate, whose rounding differs between tiers).
    /// Relative error about 1e-15; exactly 1 at 0; 0 below -708.
    /// </summary>
    /// <param name="x">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpDouble(Vector256<double> x)
    {
        Vector256<double> n = Vector256.FusedMultiplyAdd(x, Vector256.Create(LsrDoubleMath.Log2E), Vector256.Create(LsrDoubleMath.MagicBias));
        Vector256<double> biased = n;
        n -= Vector256.Create(LsrDoubleMath.MagicBias);
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-LsrDoubleMath.Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-LsrDoubleMath.Ln2Lo), r);
        Vector256<double> p = Vector256.FusedMultiplyAdd(Vector256.Create(1.0 / 479001600), r, Vector256.Create(1.0 / 39916800));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 3628800));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 362880));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 40320));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 5040));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 720));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 120));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 24));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.0 / 6));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(0.5));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256<double>.One);
        if (Avx512F.VL.IsSupported)
        {
            // vscalefpd multiplies by 2^n exactly as the exponent bits do for n >= -1022 (same bits), and lets NaN
            // through on its own: -Inf (whose r is NaN) is the only lane left for the cut-off to zero.
            return Vector256.AndNot(Avx512F.VL.Scale(p, n), Vector256.LessThan(x, Vector256.Create(LsrDoubleMath.Cutoff)));
        }

        Vector256<double> result = p * Vector256.ShiftLeft(biased.AsInt64(), 52).AsDouble();
        result = Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(LsrDoubleMath.Cutoff)));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Simd;

internal readonly struct Simd512<T> : IBlockSimd<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Count;
    }
    public static Vector512<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;

    /// <summary>Fused (left * right) + addend for float or double lanes.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The fused multiply-add of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector512.FusedMultiplyAdd(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MaxNative(Vector512<T> left, Vector512<T> right) => Vector512.MaxNative(left, right);

    /// <summary>e^x for lanes with x &lt;= 0 or NaN (softmax exponents x - max), bit-identical on every call.</summary>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane; exactly 1 at 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> value)
        => typeof(T) == typeof(float)
            ? ExpFloat(value.As<T, float>()).As<float, T>()
            : ExpDouble(value.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectFromLane(int firstLane, Vector512<T> fresh, Vector512<T> old)
        => Vector512.ConditionalSelect(
            Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(firstLane))), fresh, old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalMax(Vector512<T> value)
        => Simd256<T>.HorizontalMax(Vector256.MaxNative(value.GetLower(), value.GetUpper()));

    // Halves added first (a tree): Vector512.Sum reduces each half on its own, 25 instructions for float against 8.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum(Vector512<T> value) => Simd256<T>.HorizontalSum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LoadTargets(ref int targets, int ignoreIndex)
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<int> t = Vector512.LoadUnsafe(ref targets);
            t = Vector512.ConditionalSelect(Vector512.Equals(t, Vector512.Create(ignoreIndex)), Vector512.Create(-1), t);
            return Vector512.ConvertToSingle(t).As<float, T>();
        }

        Vector256<int> narrow = Vector256.LoadUnsafe(ref targets);
        narrow = Vector256.ConditionalSelect(Vector256.Equals(narrow, Vector256.Create(ignoreIndex)), Vector256.Create(-1), narrow);
        (Vector256<long> lower, Vector256<long> upper) = Vector256.Widen(narrow);
        return Vector512.ConvertToDouble(Vector512.Create(lower, upper)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equals(Vector512<T> left, Vector512<T> right) => Vector512.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ConditionalSelect(Vector512<T> mask, Vector512<T> whenTrue, Vector512<T> whenFalse)
        => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> And(Vector512<T> left, Vector512<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AndNot(Vector512<T> left, Vector512<T> right) => Vector512.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> left, Vector512<T> right) => left / right;

    /// <summary>Natural log of lanes holding values of at least 1 (a row's sum of exps), bit-identical on every call.</summary>
    /// <param name="value">Values of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogAtLeastOne(Vector512<T> value)
    {
        if (typeof(T) == typeof(float))
        {
            return LogFloat(value.As<T, float>()).As<float, T>();
        }

        // Double: one scalar log per row of the 8-row block; the BCL's vector log rounds differently between JIT tiers.
        Vector512<double> d = value.As<T, double>();
        return Vector512.Create(
            Math.Log(d.GetElement(0)), Math.Log(d.GetElement(1)), Math.Log(d.GetElement(2)), Math.Log(d.GetElement(3)),
            Math.Log(d.GetElement(4)), Math.Log(d.GetElement(5)), Math.Log(d.GetElement(6)), Math.Log(d.GetElement(7))).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThan(Vector512<T> left, Vector512<T> right) => Vector512.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Xor(Vector512<T> left, Vector512<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ToScalar(Vector512<T> value) => value.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllLessThan(Vector512<T> left, Vector512<T> right) => Vector512.LessThanAll(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstSetLane(Vector512<T> mask)
    {
        ulong bits = mask.ExtractMostSignificantBits();
        return bits == 0 ? -1 : BitOperations.TrailingZeroCount(bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Vector512<T> value, ref Vector512<T> lower, ref Vector512<T> upper)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(value.AsSingle());
            lower = (lower.AsDouble() + low).As<double, T>();
            upper = (upper.AsDouble() + high).As<double, T>();
        }
        else
        {
            // Double lanes cannot widen: Kahan's compensated sum, lower the sum and upper the compensation.
            Vector512<T> term = value - upper;
            Vector512<T> next = lower + term;
            upper = (next - lower) - term;
            lower = next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Vector512<T> lower, Vector512<T> upper)
        => typeof(T) == typeof(float) ? Vector512.Sum(lower.AsDouble() + upper.AsDouble()) : Vector512.Sum(lower.AsDouble()) - Vector512.Sum(upper.AsDouble());

    // The float and double exp and log of this width; their constants are in LsrFloatMath and LsrDoubleMath.

    /// <summary>
    /// e^x for float lanes with x &lt;= 0 (or NaN), as every softmax exponent x - max is. With AVX-512 (DQ):
    /// x log2(e) split by vreduceps into an integer and a fraction f in [0, 1), a degree-5 polynomial for 2^f, vscalefps
    /// for the rest (subnormal results down to -103.3); relative error below 1.8e-7 + 7.5e-8 |x|. Otherwise one FMA
    /// range reduction to x = n ln2 + t, a degree-5 polynomial for e^t (the XNNPACK rr2-p5 scheme) and 2^n built in
    /// the exponent bits (0 below -87.34); max error 2 ulp in the normal range. Exactly 1 at 0 either way; 3 to 4 times
    /// faster than the BCL's general exp.
    /// </summary>
    /// <param name="x">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpFloat(Vector512<float> x)
    {
        if (Avx512DQ.IsSupported)
        {
            return ExpFloatReduced(x);
        }

        Vector512<float> n = Vector512.FusedMultiplyAdd(x, Vector512.Create(LsrFloatMath.Log2E), Vector512.Create(LsrFloatMath.MagicBias));
        Vector512<float> scale = Vector512.ShiftLeft(n.AsInt32(), 23).AsSingle();
        n -= Vector512.Create(LsrFloatMath.MagicBias);
        Vector512<float> t = Vector512.FusedMultiplyAdd(n, Vector512.Create(LsrFloatMath.MinusLn2Hi), x);
        t = Vector512.FusedMultiplyAdd(n, Vector512.Create(LsrFloatMath.MinusLn2Lo), t);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(LsrFloatMath.C5), t, Vector512.Create(LsrFloatMath.C4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(LsrFloatMath.C3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(LsrFloatMath.C2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(LsrFloatMath.C1));
        t *= scale;
        Vector512<float> result = Vector512.FusedMultiplyAdd(t, p, scale);
        result = Vector512.AndNot(result, Vector512.LessThan(x, Vector512.Create(LsrFloatMath.DenormalCutoff)));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    // With AVX-512 two instructions replace the clamp, the rounding and the two-step reduction: vreduceps splits
    // u = x log2(e) into floor(u) and f = u - floor(u) in [0, 1), and vscalefps multiplies 2^f by 2^floor(u) with correct
    // underflow (subnormals, then 0, also for -Inf) and NaN propagation. 8 vector operations instead of 15 (11 with the
    // older vscalefps-only form). The price is u's rounding (and log2(e)'s): a relative error of up to 7.5e-8 |x| on top
    // of the polynomial's 1.8e-7 with rounding; the largest terms of a softmax row (x near 0) keep a few ulp, and where
    // the bound nears the 1e-5 of docs/semantics.md (x below -100) e^x is a subnormal, under the absolute bound.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpFloatReduced(Vector512<float> x)
    {
        Vector512<float> u = x * Vector512.Create(LsrFloatMath.Log2E);
        Vector512<float> f = Avx512DQ.Reduce(u, LsrFloatMath.FloorFraction);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(LsrFloatMath.B5), f, Vector512.Create(LsrFloatMath.B4));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(LsrFloatMath.B3));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(LsrFloatMath.B2));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(LsrFloatMath.B1));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512<float>.One);
        return Avx512F.Scale(p, u);
    }

    /// <summary>
    /// Natural log for float lanes holding finite values &gt;= 1 (a softmax row's sum of exps lies in [1, K]), or NaN:
    /// exponent and mantissa split, mantissa folded into [sqrt(1/2), sqrt(2)), then 2 atanh((m - 1) / (m + 1)) as an odd
    /// polynomial. Inlined, unlike the BCL's log. Max error about 1 ulp.
    /// </summary>
    /// <param name="x">Values of at least 1.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LogFloat(Vector512<float> x)
    {
        Vector512<int> bits = x.AsInt32();
        // Fold the mantissa into [sqrt(1/2), sqrt(2)): subtract the bits of sqrt(1/2) before taking the exponent.
        Vector512<int> shifted = bits - Vector512.Create(0x3F3504F3);
        Vector512<int> exponent = Vector512.ShiftRightArithmetic(shifted, 23);
        Vector512<float> m = (bits - Vector512.ShiftLeft(exponent, 23)).AsSingle();
        Vector512<float> f = (m - Vector512<float>.One) / (m + Vector512<float>.One);
        Vector512<float> f2 = f * f;
        Vector512<float> poly = Vector512.FusedMultiplyAdd(f2, Vector512.Create(2f / 9), Vector512.Create(2f / 7));
        poly = Vector512.FusedMultiplyAdd(poly, f2, Vector512.Create(2f / 5));
        poly = Vector512.FusedMultiplyAdd(poly, f2, Vector512.Create(2f / 3));
        poly = Vector512.FusedMultiplyAdd(poly, f2, Vector512.Create(2f));
        Vector512<float> logM = poly * f;
        Vector512<float> e = Vector512.ConvertToSingle(exponent);
        Vector512<float> result = Vector512.FusedMultiplyAdd(e, Vector512.Create(LsrFloatMath.Ln2Hi), Vector512.FusedMultiplyAdd(e, Vector512.Create(LsrFloatMath.Ln2Lo), logM));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
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
    private static Vector512<double> ExpDouble(Vector512<double> x)
    {
        Vector512<double> n = Vector512.FusedMultiplyAdd(x, Vector512.Create(LsrDoubleMath.Log2E), Vector512.Create(LsrDoubleMath.MagicBias));
        Vector512<double> biased = n;
        n -= Vector512.Create(LsrDoubleMath.MagicBias);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LsrDoubleMath.Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-LsrDoubleMath.Ln2Lo), r);
        Vector512<double> p = Vector512.FusedMultiplyAdd(Vector512.Create(1.0 / 479001600), r, Vector512.Create(1.0 / 39916800));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 3628800));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 362880));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 40320));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 5040));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.0 / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<double>.One);
        if (Avx512F.IsSupported)
        {
            // vscalefpd multiplies by 2^n exactly as the exponent bits do for n >= -1022 (same bits), and lets NaN
            // through on its own: -Inf (whose r is NaN) is the only lane left for the cut-off to zero.
            return Vector512.AndNot(Avx512F.Scale(p, n), Vector512.LessThan(x, Vector512.Create(LsrDoubleMath.Cutoff)));
        }

        Vector512<double> result = p * Vector512.ShiftLeft(biased.AsInt64(), 52).AsDouble();
        result = Vector512.AndNot(result, Vector512.LessThan(x, Vector512.Create(LsrDoubleMath.Cutoff)));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }
}

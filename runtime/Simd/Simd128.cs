using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.Simd;

internal readonly struct Simd128<T> : ISimd<T, Vector128<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Count;
    }
    public static Vector128<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint offset) => Vector128.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> left, Vector128<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> left, Vector128<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> left, Vector128<T> right) => left * right;

    /// <summary>Fused (left * right) + addend for float or double lanes.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The value added to the product.</param>
    /// <returns>The fused multiply-add of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> left, Vector128<T> right, Vector128<T> addend)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector128.FusedMultiplyAdd(left.As<T, float>(), right.As<T, float>(), addend.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector128.FusedMultiplyAdd(left.As<T, double>(), right.As<T, double>(), addend.As<T, double>()).As<double, T>();
        }

        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MaxNative(Vector128<T> left, Vector128<T> right) => Vector128.MaxNative(left, right);

    /// <summary>e^x for lanes with x &lt;= 0 or NaN (softmax exponents x - max), bit-identical on every call.</summary>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane; exactly 1 at 0.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exp(Vector128<T> value)
        => typeof(T) == typeof(float)
            ? ExpFloat(value.As<T, float>()).As<float, T>()
            : ExpDouble(value.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectFromLane(int firstLane, Vector128<T> fresh, Vector128<T> old)
        => Vector128.ConditionalSelect(
            Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(firstLane))), fresh, old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalMax(Vector128<T> value)
    {
        T max = value.GetElement(0);
        for (int i = 1; i < Vector128<T>.Count; i++)
        {
            max = T.MaxNative(max, value.GetElement(i));
        }

        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum(Vector128<T> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equals(Vector128<T> left, Vector128<T> right) => Vector128.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ConditionalSelect(Vector128<T> mask, Vector128<T> whenTrue, Vector128<T> whenFalse)
        => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> And(Vector128<T> left, Vector128<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> AndNot(Vector128<T> left, Vector128<T> right) => Vector128.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> left, Vector128<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessThan(Vector128<T> left, Vector128<T> right) => Vector128.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Xor(Vector128<T> left, Vector128<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ToScalar(Vector128<T> value) => value.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllLessThan(Vector128<T> left, Vector128<T> right) => Vector128.LessThanAll(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstSetLane(Vector128<T> mask)
    {
        uint bits = mask.ExtractMostSignificantBits();
        return bits == 0 ? -1 : BitOperations.TrailingZeroCount(bits);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(Vector128<T> value, ref Vector128<T> lower, ref Vector128<T> upper)
    {
        if (typeof(T) == typeof(float))
        {
            (Vector128<double> low, Vector128<double> high) = Vector128.Widen(value.AsSingle());
            lower = (lower.AsDouble() + low).As<double, T>();
            upper = (upper.AsDouble() + high).As<double, T>();
        }
        else
        {
            // Double lanes cannot widen: Kahan's compensated sum, lower the sum and upper the compensation.
            Vector128<T> term = value - upper;
            Vector128<T> next = lower + term;
            upper = (next - lower) - term;
            lower = next;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(Vector128<T> lower, Vector128<T> upper)
        => typeof(T) == typeof(float) ? Vector128.Sum(lower.AsDouble() + upper.AsDouble()) : Vector128.Sum(lower.AsDouble()) - Vector128.Sum(upper.AsDouble());

    // The float and double exp and log of this width; their constants are in LsrFloatMath and LsrDoubleMath.

    /// <summary>
    /// e^x for float lanes with x &lt;= 0 (or NaN), as every softmax exponent x - max is: one FMA range reduction to
    /// x = n ln2 + t, 2^n built in the exponent bits, a degree-5 polynomial for e^t (the XNNPACK rr2-p5 scheme).
    /// Faster than the BCL's general exp; max error a few ulp; exactly 1 at 0, 0 below -87.34.
    /// </summary>
    /// <param name="x">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExpFloat(Vector128<float> x)
    {
        Vector128<float> n = Vector128.FusedMultiplyAdd(x, Vector128.Create(LsrFloatMath.Log2E), Vector128.Create(LsrFloatMath.MagicBias));
        Vector128<float> scale = Vector128.ShiftLeft(n.AsInt32(), 23).AsSingle();
        n -= Vector128.Create(LsrFloatMath.MagicBias);
        Vector128<float> t = Vector128.FusedMultiplyAdd(n, Vector128.Create(LsrFloatMath.MinusLn2Hi), x);
        t = Vector128.FusedMultiplyAdd(n, Vector128.Create(LsrFloatMath.MinusLn2Lo), t);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(LsrFloatMath.C5), t, Vector128.Create(LsrFloatMath.C4));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(LsrFloatMath.C3));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(LsrFloatMath.C2));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(LsrFloatMath.C1));
        t *= scale;
        Vector128<float> result = Vector128.FusedMultiplyAdd(t, p, scale);
        result = Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(LsrFloatMath.DenormalCutoff)));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }

    /// <summary>
    /// Natural log for float lanes holding finite values &gt;= 1 (a softmax row's sum of exps lies in [1, K]), or NaN:
    /// exponent and mantissa split, mantissa folded into [sqrt(1/2), sqrt(2)), then 2 atanh((m - 1) / (m + 1)) as an odd
    /// polynomial. Inlined, unlike the BCL's log. Max error about 1 ulp.
    /// </summary>
    /// <param name="x">Values of at least 1.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> LogFloat(Vector128<float> x)
    {
        Vector128<int> bits = x.AsInt32();
        // Fold the mantissa into [sqrt(1/2), sqrt(2)): subtract the bits of sqrt(1/2) before taking the exponent.
        Vector128<int> shifted = bits - Vector128.Create(0x3F3504F3);
        Vector128<int> exponent = Vector128.ShiftRightArithmetic(shifted, 23);
        Vector128<float> m = (bits - Vector128.ShiftLeft(exponent, 23)).AsSingle();
        Vector128<float> f = (m - Vector128<float>.One) / (m + Vector128<float>.One);
        Vector128<float> f2 = f * f;
        Vector128<float> poly = Vector128.FusedMultiplyAdd(f2, Vector128.Create(2f / 9), Vector128.Create(2f / 7));
        poly = Vector128.FusedMultiplyAdd(poly, f2, Vector128.Create(2f / 5));
        poly = Vector128.FusedMultiplyAdd(poly, f2, Vector128.Create(2f / 3));
        poly = Vector128.FusedMultiplyAdd(poly, f2, Vector128.Create(2f));
        Vector128<float> logM = poly * f;
        Vector128<float> e = Vector128.ConvertToSingle(exponent);
        Vector128<float> result = Vector128.FusedMultiplyAdd(e, Vector128.Create(LsrFloatMath.Ln2Hi), Vector128.FusedMultiplyAdd(e, Vector128.Create(LsrFloatMath.Ln2Lo), logM));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
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
    private static Vector128<double> ExpDouble(Vector128<double> x)
    {
        Vector128<double> n = Vector128.FusedMultiplyAdd(x, Vector128.Create(LsrDoubleMath.Log2E), Vector128.Create(LsrDoubleMath.MagicBias));
        Vector128<double> biased = n;
        n -= Vector128.Create(LsrDoubleMath.MagicBias);
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-LsrDoubleMath.Ln2Hi), x);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-LsrDoubleMath.Ln2Lo), r);
        Vector128<double> p = Vector128.FusedMultiplyAdd(Vector128.Create(1.0 / 479001600), r, Vector128.Create(1.0 / 39916800));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 3628800));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 362880));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 40320));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 5040));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 720));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 120));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 24));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(1.0 / 6));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128.Create(0.5));
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        p = Vector128.FusedMultiplyAdd(p, r, Vector128<double>.One);
        if (Avx512F.VL.IsSupported)
        {
            // vscalefpd multiplies by 2^n exactly as the exponent bits do for n >= -1022 (same bits), and lets NaN
            // through on its own: -Inf (whose r is NaN) is the only lane left for the cut-off to zero.
            return Vector128.AndNot(Avx512F.VL.Scale(p, n), Vector128.LessThan(x, Vector128.Create(LsrDoubleMath.Cutoff)));
        }

        Vector128<double> result = p * Vector128.ShiftLeft(biased.AsInt64(), 52).AsDouble();
        result = Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(LsrDoubleMath.Cutoff)));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }
}

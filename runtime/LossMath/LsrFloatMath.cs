using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.LossMath;

/// <summary>
/// Fast float exp and log for the ranges softmax needs, inlined into the row kernels (runtime and generated).
/// </summary>
internal static class LsrFloatMath
{
    private const float Log2E = 1.442695022e+00f;
    private const float MagicBias = 12583039f; // 1.5 * 2^23 + 127: n lands in the low bits as a biased exponent.
    private const byte FloorFraction = 0x09; // vreduceps: keep 0 fraction bits, round down, no precision exception.
    private const float MinusLn2Hi = -6.931457520e-01f;
    private const float MinusLn2Lo = -1.428606765e-06f;
    private const float C5 = 8.289290592e-03f;
    private const float C4 = 4.189782217e-02f;
    private const float C3 = 1.666765213e-01f;
    private const float C2 = 4.999915063e-01f;
    private const float C1 = 9.999997020e-01f;
    // 2^f = 1 + f (B1 + f (B2 + f (B3 + f (B4 + f B5)))) on [0, 1): minimax for relative error with the constant term
    // pinned to 1 (so e^0 is exactly 1), max 8.2e-8.
    private const float B5 = 1.867130050e-03f;
    private const float B4 = 9.017030708e-03f;
    private const float B3 = 5.579991266e-02f;
    private const float B2 = 2.401644439e-01f;
    private const float B1 = 6.931512952e-01f;
    private const float DenormalCutoff = -8.733654022e+01f;
    private const float Ln2Hi = 6.931457520e-01f;
    private const float Ln2Lo = 1.428606820e-06f;

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
    public static Vector512<float> ExpNonPositive(Vector512<float> x)
    {
        if (Avx512DQ.IsSupported)
        {
            return ExpNonPositiveReduced(x);
        }

        Vector512<float> n = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(MagicBias));
        Vector512<float> scale = Vector512.ShiftLeft(n.AsInt32(), 23).AsSingle();
        n -= Vector512.Create(MagicBias);
        Vector512<float> t = Vector512.FusedMultiplyAdd(n, Vector512.Create(MinusLn2Hi), x);
        t = Vector512.FusedMultiplyAdd(n, Vector512.Create(MinusLn2Lo), t);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(C5), t, Vector512.Create(C4));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C3));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C2));
        p = Vector512.FusedMultiplyAdd(p, t, Vector512.Create(C1));
        t *= scale;
        Vector512<float> result = Vector512.FusedMultiplyAdd(t, p, scale);
        result = Vector512.AndNot(result, Vector512.LessThan(x, Vector512.Create(DenormalCutoff)));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

    // With AVX-512 two instructions replace the clamp, the rounding and the two-step reduction: vreduceps splits
    // u = x log2(e) into floor(u) and f = u - floor(u) in [0, 1), and vscalefps multiplies 2^f by 2^floor(u) with correct
    // underflow (subnormals, then 0, also for -Inf) and NaN propagation. 8 vector operations instead of 15 (11 with the
    // older vscalefps-only form). The price is u's rounding (and log2(e)'s): a relative error of up to 7.5e-8 |x| on top
    // of the polynomial's 1.8e-7 with rounding; the largest terms of a softmax row (x near 0) keep a few ulp, and where
    // the bound nears the 1e-5 of docs/semantics.md (x below -100) e^x is a subnormal, under the absolute bound.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ExpNonPositiveReduced(Vector512<float> x)
    {
        Vector512<float> u = x * Vector512.Create(Log2E);
        Vector512<float> f = Avx512DQ.Reduce(u, FloorFraction);
        Vector512<float> p = Vector512.FusedMultiplyAdd(Vector512.Create(B5), f, Vector512.Create(B4));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(B3));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(B2));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(B1));
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
    public static Vector512<float> LogAtLeastOne(Vector512<float> x)
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
        Vector512<float> result = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Hi), Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Lo), logM));
        return Vector512.ConditionalSelect(Vector512.Equals(x, x), result, x);
    }

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
    public static Vector256<float> ExpNonPositive(Vector256<float> x)
    {
        if (Avx512DQ.VL.IsSupported)
        {
            return ExpNonPositiveReduced(x);
        }

        Vector256<float> n = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(MagicBias));
        Vector256<float> scale = Vector256.ShiftLeft(n.AsInt32(), 23).AsSingle();
        n -= Vector256.Create(MagicBias);
        Vector256<float> t = Vector256.FusedMultiplyAdd(n, Vector256.Create(MinusLn2Hi), x);
        t = Vector256.FusedMultiplyAdd(n, Vector256.Create(MinusLn2Lo), t);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(C5), t, Vector256.Create(C4));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C3));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C2));
        p = Vector256.FusedMultiplyAdd(p, t, Vector256.Create(C1));
        t *= scale;
        Vector256<float> result = Vector256.FusedMultiplyAdd(t, p, scale);
        result = Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(DenormalCutoff)));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    // The 256-bit form of the AVX-512 path above (AVX512VL).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpNonPositiveReduced(Vector256<float> x)
    {
        Vector256<float> u = x * Vector256.Create(Log2E);
        Vector256<float> f = Avx512DQ.VL.Reduce(u, FloorFraction);
        Vector256<float> p = Vector256.FusedMultiplyAdd(Vector256.Create(B5), f, Vector256.Create(B4));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(B3));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(B2));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(B1));
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
    public static Vector256<float> LogAtLeastOne(Vector256<float> x)
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
        Vector256<float> result = Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Hi), Vector256.FusedMultiplyAdd(e, Vector256.Create(Ln2Lo), logM));
        return Vector256.ConditionalSelect(Vector256.Equals(x, x), result, x);
    }

    /// <summary>
    /// e^x for float lanes with x &lt;= 0 (or NaN), as every softmax exponent x - max is: one FMA range reduction to
    /// x = n ln2 + t, 2^n built in the exponent bits, a degree-5 polynomial for e^t (the XNNPACK rr2-p5 scheme).
    /// Faster than the BCL's general exp; max error a few ulp; exactly 1 at 0, 0 below -87.34.
    /// </summary>
    /// <param name="x">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ExpNonPositive(Vector128<float> x)
    {
        Vector128<float> n = Vector128.FusedMultiplyAdd(x, Vector128.Create(Log2E), Vector128.Create(MagicBias));
        Vector128<float> scale = Vector128.ShiftLeft(n.AsInt32(), 23).AsSingle();
        n -= Vector128.Create(MagicBias);
        Vector128<float> t = Vector128.FusedMultiplyAdd(n, Vector128.Create(MinusLn2Hi), x);
        t = Vector128.FusedMultiplyAdd(n, Vector128.Create(MinusLn2Lo), t);
        Vector128<float> p = Vector128.FusedMultiplyAdd(Vector128.Create(C5), t, Vector128.Create(C4));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C3));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C2));
        p = Vector128.FusedMultiplyAdd(p, t, Vector128.Create(C1));
        t *= scale;
        Vector128<float> result = Vector128.FusedMultiplyAdd(t, p, scale);
        result = Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(DenormalCutoff)));
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
    public static Vector128<float> LogAtLeastOne(Vector128<float> x)
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
        Vector128<float> result = Vector128.FusedMultiplyAdd(e, Vector128.Create(Ln2Hi), Vector128.FusedMultiplyAdd(e, Vector128.Create(Ln2Lo), logM));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace LsrGen.LossMath;

/// <summary>
/// A double exp for softmax exponents (x &lt;= 0), deterministic across calls and JIT tiers, inlined into the row kernels.
/// </summary>
internal static class LsrDoubleMath
{
    private const double Log2E = 1.4426950408889634;
    private const double MagicBias = 6755399441056767.0; // 1.5 * 2^52 + 1023: n lands in the low bits as a biased exponent.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Cutoff = -708.0;

    /// <summary>
    /// e^x for double lanes with x &lt;= 0 (or NaN): Cody-Waite reduction x = n ln2 + r, |r| &lt;= ln2/2, 2^n applied with
    /// vscalefpd where AVX-512 has it (else built in the exponent bits), and the degree-12 Taylor polynomial of e^r with fused multiply-adds only, so every call and every
    /// JIT tier gives the same bits (the BCL's vector exp uses MultiplyAddEstimate, whose rounding differs between tiers).
    /// Relative error about 1e-15; exactly 1 at 0; 0 below -708.
    /// </summary>
    /// <param name="x">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> ExpNonPositive(Vector512<double> x)
    {
        Vector512<double> n = Vector512.FusedMultiplyAdd(x, Vector512.Create(Log2E), Vector512.Create(MagicBias));
        Vector512<double> biased = n;
        n -= Vector512.Create(MagicBias);
        Vector512<double> r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
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
            return Vector512.AndNot(Avx512F.Scale(p, n), Vector512.LessThan(x, Vector512.Create(Cutoff)));
        }

        Vector512<double> result = p * Vector512.ShiftLeft(biased.AsInt64(), 52).AsDouble();
        result = Vector512.AndNot(result, Vector512.LessThan(x, Vector512.Create(Cutoff)));
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
    public static Vector256<double> ExpNonPositive(Vector256<double> x)
    {
        Vector256<double> n = Vector256.FusedMultiplyAdd(x, Vector256.Create(Log2E), Vector256.Create(MagicBias));
        Vector256<double> biased = n;
        n -= Vector256.Create(MagicBias);
        Vector256<double> r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
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
            return Vector256.AndNot(Avx512F.VL.Scale(p, n), Vector256.LessThan(x, Vector256.Create(Cutoff)));
        }

        Vector256<double> result = p * Vector256.ShiftLeft(biased.AsInt64(), 52).AsDouble();
        result = Vector256.AndNot(result, Vector256.LessThan(x, Vector256.Create(Cutoff)));
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
    public static Vector128<double> ExpNonPositive(Vector128<double> x)
    {
        Vector128<double> n = Vector128.FusedMultiplyAdd(x, Vector128.Create(Log2E), Vector128.Create(MagicBias));
        Vector128<double> biased = n;
        n -= Vector128.Create(MagicBias);
        Vector128<double> r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Hi), x);
        r = Vector128.FusedMultiplyAdd(n, Vector128.Create(-Ln2Lo), r);
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
            return Vector128.AndNot(Avx512F.VL.Scale(p, n), Vector128.LessThan(x, Vector128.Create(Cutoff)));
        }

        Vector128<double> result = p * Vector128.ShiftLeft(biased.AsInt64(), 52).AsDouble();
        result = Vector128.AndNot(result, Vector128.LessThan(x, Vector128.Create(Cutoff)));
        return Vector128.ConditionalSelect(Vector128.Equals(x, x), result, x);
    }
}

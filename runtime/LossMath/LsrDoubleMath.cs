namespace LsrGen.LossMath;

/// <summary>
/// The constants of the double exp that the SIMD wrappers (Simd128, Simd256, Simd512) inline into every kernel, for
/// x &lt;= 0 (a softmax exponent). Each width's code stands in its wrapper; the constants, shared by all widths, stand here.
/// </summary>
internal static class LsrDoubleMath
{
    internal const double Log2E = 1.4426950408889634;
    internal const double MagicBias = 6755399441056767.0; // 1.5 * 2^52 + 1023: n lands in the low bits as a biased exponent.
    internal const double Ln2Hi = 6.93147180369123816490e-01;
    internal const double Ln2Lo = 1.90821492927058770002e-10;
    internal const double Cutoff = -708.0;
}

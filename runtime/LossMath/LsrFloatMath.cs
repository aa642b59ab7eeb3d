namespace LsrGen.LossMath;

/// <summary>
/// The constants of the float exp and log that the SIMD wrappers (Simd128, Simd256, Simd512) inline into every kernel:
/// e^x for x &lt;= 0 (a softmax exponent) and log x for x &gt;= 1 (a row's sum of exps). Each width's code stands in its
/// wrapper; the constants, shared by all widths, stand here.
/// </summary>
internal static class LsrFloatMath
{
    internal const float Log2E = 1.442695022e+00f;
    internal const float MagicBias = 12583039f; // 1.5 * 2^23 + 127: n lands in the low bits as a biased exponent.
    internal const byte FloorFraction = 0x09; // vreduceps: keep 0 fraction bits, round down, no precision exception.
    internal const float MinusLn2Hi = -6.931457520e-01f;
    internal const float MinusLn2Lo = -1.428606765e-06f;
    internal const float C5 = 8.289290592e-03f;
    internal const float C4 = 4.189782217e-02f;
    internal const float C3 = 1.666765213e-01f;
    internal const float C2 = 4.999915063e-01f;
    internal const float C1 = 9.999997020e-01f;
    // 2^f = 1 + f (B1 + f (B2 + f (B3 + f (B4 + f B5)))) on [0, 1): minimax for relative error with the constant term
    // pinned to 1 (so e^0 is exactly 1), max 8.2e-8.
    internal const float B5 = 1.867130050e-03f;
    internal const float B4 = 9.017030708e-03f;
    internal const float B3 = 5.579991266e-02f;
    internal const float B2 = 2.401644439e-01f;
    internal const float B1 = 6.931512952e-01f;
    internal const float DenormalCutoff = -8.733654022e+01f;
    internal const float Ln2Hi = 6.931457520e-01f;
    internal const float Ln2Lo = 1.428606820e-06f;
}

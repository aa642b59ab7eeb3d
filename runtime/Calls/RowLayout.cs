namespace LsrGen.Calls;

/// <summary>
/// Where a call's matrices are not K-dense rows of the kernel's element type: a row stride above K (a padded
/// vocabulary in a tensor span) for the logits, the matrix output or the target probabilities, or Half elements
/// that the kernel's float math widens on the way in and rounds on the way out. Zero strides mean dense rows.
/// </summary>
internal readonly record struct RowLayout(nint LogitStride, nint OutputStride, nint ProbabilityStride, bool Half)
{
    /// <summary>Gets the layout of dense Half rows.</summary>
    public static RowLayout HalfRows => new(0, 0, 0, Half: true);

    public bool IsStaged => Half || LogitStride != 0 || OutputStride != 0 || ProbabilityStride != 0;
}

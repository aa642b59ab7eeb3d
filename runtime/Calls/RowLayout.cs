namespace LsrGen.Calls;

/// <summary>
/// Where a call's matrices are not K-dense rows of the kernel's element type: a row stride above K (a padded
/// vocabulary in a tensor span) for the logits, the matrix output or the target probabilities, Half elements that
/// the kernel's float math widens on the way in and rounds on the way out, or tensor spans of rank 3 to 8 whose
/// positions no row stride describes (<see cref="Tensors"/>). Zero strides mean dense rows.
/// </summary>
internal readonly unsafe struct RowLayout(nint LogitStride, nint OutputStride, nint ProbabilityStride, bool Half)
{
    public nint LogitStride { get; } = LogitStride;

    public nint OutputStride { get; } = OutputStride;

    public nint ProbabilityStride { get; } = ProbabilityStride;

    public bool Half { get; } = Half;

    /// <summary>Gets the layout of dense Half rows.</summary>
    public static RowLayout HalfRows => new(0, 0, 0, Half: true);

    /// <summary>
    /// Gets the general layouts of the matrices, or null when every matrix is rows of a stride. Points into the frame
    /// of the call that made it, which outlives the kernels' run.
    /// </summary>
    public TensorLayouts* Tensors { get; init; }

    public bool IsStaged => Half || LogitStride != 0 || OutputStride != 0 || ProbabilityStride != 0 || Tensors != null;

    /// <summary>
    /// The layout of tensor-span matrices (an empty view: that matrix is absent). Where one is general, its positions are
    /// copied to <paramref name="tensors"/> (the caller's frame), and the row loops no longer read strided rows in place.
    /// </summary>
    public static RowLayout Of<T>(in MatrixView<T> logits, in MatrixView<T> output, in MatrixView<T> probabilities, TensorLayouts* tensors)
        where T : unmanaged
    {
        var layout = new RowLayout(logits.StagedStride, output.StagedStride, probabilities.StagedStride, Half: false);
        if (!logits.IsGeneral && !output.IsGeneral && !probabilities.IsGeneral)
        {
            return layout;
        }

        tensors->Logits = logits.Positions;
        tensors->Output = output.Positions;
        tensors->Probabilities = probabilities.Positions;
        return layout with { Tensors = tensors };
    }
}

namespace LsrGen.Generator.Emit;

/// <summary>The six ILsrRowKernel members a generated kernel struct implements, per element type.</summary>
internal enum RowOperation
{
    LogSoftmax,
    Softmax,
    HardForward,
    HardGradient,
    SoftForward,
    SoftGradient,
    HardBackward,
    SoftBackward,
}

/// <summary>Every <see cref="RowOperation"/>, in the order the kernel struct declares them.</summary>
internal static class RowOperations
{
    public static readonly RowOperation[] All =
    [
        RowOperation.LogSoftmax, RowOperation.Softmax, RowOperation.HardForward,
        RowOperation.HardGradient, RowOperation.SoftForward, RowOperation.SoftGradient,
        RowOperation.HardBackward, RowOperation.SoftBackward,
    ];

    public static string ReturnType(this RowOperation operation)
        => operation is RowOperation.LogSoftmax or RowOperation.Softmax or RowOperation.HardBackward or RowOperation.SoftBackward ? "void" : "double";
}

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
}

internal static class RowOperations
{
    public static readonly RowOperation[] All =
    [
        RowOperation.LogSoftmax, RowOperation.Softmax, RowOperation.HardForward,
        RowOperation.HardGradient, RowOperation.SoftForward, RowOperation.SoftGradient,
    ];

    public static bool ReturnsTotal(this RowOperation operation)
        => operation is not (RowOperation.LogSoftmax or RowOperation.Softmax);
}

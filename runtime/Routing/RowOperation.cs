using System.Runtime.CompilerServices;

namespace LsrGen.Routing;

/// <summary>
/// The operations every kernel shape runs over rows, one member of ILsrRowKernel each, per element type. Compiled into
/// the runtime and the generator, so both list the same operations in the same order.
/// </summary>
internal enum RowOperation
{
    /// <summary>Log-softmax of each row.</summary>
    LogSoftmax,

    /// <summary>Softmax of each row.</summary>
    Softmax,

    /// <summary>The loss for class-index targets.</summary>
    ClassIndexForward,

    /// <summary>The loss and its gradient for class-index targets, in one pass.</summary>
    ClassIndexGradient,

    /// <summary>The loss for probability targets.</summary>
    ProbabilityForward,

    /// <summary>The loss and its gradient for probability targets, in one pass.</summary>
    ProbabilityGradient,

    /// <summary>The gradient from per-row upstream gradients and saved log-sum-exps, class-index targets.</summary>
    ClassIndexBackward,

    /// <summary>The gradient from per-row upstream gradients and saved log-sum-exps, probability targets.</summary>
    ProbabilityBackward,

    /// <summary>The backward of log-softmax from its output (the logits' place) and output gradient (the probabilities' place).</summary>
    LogSoftmaxBackward,

    /// <summary>The backward of softmax from its output (the logits' place) and output gradient (the probabilities' place).</summary>
    SoftmaxBackward,

    /// <summary>Each row's index of its first maximum (the first NaN on a row holding one), into the predictions.</summary>
    ArgMax,
}

/// <summary>What each <see cref="RowOperation"/> reads and returns.</summary>
internal static class RowOperations
{
    /// <summary>Every operation, in declaration order (the order a generated kernel struct declares them in).</summary>
    public static readonly RowOperation[] All =
    [
        RowOperation.LogSoftmax, RowOperation.Softmax, RowOperation.ClassIndexForward,
        RowOperation.ClassIndexGradient, RowOperation.ProbabilityForward, RowOperation.ProbabilityGradient,
        RowOperation.ClassIndexBackward, RowOperation.ProbabilityBackward, RowOperation.LogSoftmaxBackward,
        RowOperation.SoftmaxBackward, RowOperation.ArgMax,
    ];

    /// <summary>Whether the operation takes class-index targets.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for the three class-index operations.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsClassIndex(this RowOperation operation)
        => operation is RowOperation.ClassIndexForward or RowOperation.ClassIndexGradient or RowOperation.ClassIndexBackward;

    /// <summary>Whether the operation returns a loss sum (the others return nothing).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for the forward and fused operations.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReturnsLoss(this RowOperation operation)
        => operation is RowOperation.ClassIndexForward or RowOperation.ClassIndexGradient or RowOperation.ProbabilityForward or RowOperation.ProbabilityGradient;

    /// <summary>Whether the operation takes probability targets.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for the three probability-target operations.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReadsProbabilities(this RowOperation operation)
        => operation is RowOperation.ProbabilityForward or RowOperation.ProbabilityGradient or RowOperation.ProbabilityBackward;

    /// <summary>Whether the operation reads a second matrix of the logits' shape (probability targets, or an output gradient).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for the probability-target operations and the two softmax backwards.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReadsSecondMatrix(this RowOperation operation)
        => operation.ReadsProbabilities() || operation is RowOperation.LogSoftmaxBackward or RowOperation.SoftmaxBackward;

    /// <summary>Whether the output holds K values per row (else one loss per row, when asked for, or ArgMax's predictions).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>False for the two forward losses and ArgMax.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool WritesRows(this RowOperation operation)
        => operation is not (RowOperation.ClassIndexForward or RowOperation.ProbabilityForward or RowOperation.ArgMax);

    /// <summary>Whether the output is a gradient (multiplied by dz/dx under a soft-cap).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for the fused and Backward operations.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool WritesGradient(this RowOperation operation)
        => operation is RowOperation.ClassIndexGradient or RowOperation.ProbabilityGradient or RowOperation.ClassIndexBackward or RowOperation.ProbabilityBackward;

    /// <summary>Whether the operation reads each row's saved log-sum-exp and upstream gradient.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True for the two Backward operations.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ReadsUpstream(this RowOperation operation)
        => operation is RowOperation.ClassIndexBackward or RowOperation.ProbabilityBackward;
}

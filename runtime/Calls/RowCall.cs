using System;
using System.Numerics;

namespace LsrGen.Calls;

/// <summary>
/// Pins a validated call's memory, packs it into <see cref="RowArgs{T}"/> and hands the rows to
/// <typeparamref name="TRunner"/>: the one place every span entry (LsrKernels, generated classes,
/// <see cref="CrossEntropyLoss{T}"/>, the Half forms) does so.
/// </summary>
/// <typeparam name="T">float or double: what the kernels compute in.</typeparam>
/// <typeparam name="TRunner">Where the packed rows go.</typeparam>
internal static unsafe class RowCall<T, TRunner>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRunner : IRowRunner<T>
{
    /// <summary>
    /// Runs the rows; returns the kernels' summed loss (0 when there are no rows). <typeparamref name="TX"/> is
    /// <typeparamref name="T"/>, or Half under a Half <see cref="CallOptions{T}.Layout"/> (rows widened per chunk).
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="logits">The logits.</param>
    /// <param name="classes">K.</param>
    /// <param name="targets">Class-index targets, or empty.</param>
    /// <param name="targetProbabilities">Probability targets, or empty.</param>
    /// <param name="matrixOutput">An output of the logits' shape (destination or gradient), or empty.</param>
    /// <param name="rowOutput">An output of one loss per row, or empty (beside the gradient of a fused pass too).</param>
    /// <param name="weight">Class weights, or empty.</param>
    /// <param name="logSumExp">Per-row log-sum-exp (an output of the per-row forward, an input of Backward), or empty.</param>
    /// <param name="lossGradients">Backward's per-row upstream gradients, or empty.</param>
    /// <param name="options">The call's scalars.</param>
    /// <param name="rows">The row count, validated.</param>
    /// <param name="predictions">Per-row predicted classes, or empty.</param>
    /// <param name="entropy">Per-row entropies, or empty.</param>
    /// <param name="entropyGradients">Backward's per-row dL/dH, or empty.</param>
    /// <returns>The summed loss of the rows.</returns>
    /// <typeparam name="TX">The element type of the logits and the matrix output.</typeparam>
    public static double Run<TX>(
        RowOperation operation, ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, ReadOnlySpan<TX> targetProbabilities,
        Span<TX> matrixOutput, Span<T> rowOutput, ReadOnlySpan<T> weight, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients,
        in CallOptions<T> options, int rows, Span<int> predictions = default, Span<T> entropy = default, ReadOnlySpan<T> entropyGradients = default)
        where TX : unmanaged
    {
        if (rows == 0)
        {
            return 0;
        }

        fixed (TX* x = logits)
        fixed (int* t = targets)
        fixed (TX* q = targetProbabilities)
        fixed (TX* g = matrixOutput)
        fixed (T* o = rowOutput)
        fixed (T* w = weight)
        fixed (T* lse = logSumExp)
        fixed (T* upstream = lossGradients)
        fixed (int* predicted = predictions)
        fixed (T* h = entropy)
        fixed (T* dh = entropyGradients)
        {
            var args = new RowArgs<T>(
                (T*)x, classes, g != null ? (T*)g : o, t, (T*)q, w, options.LabelSmoothing, options.IgnoreIndex, options.WeightTotal,
                options.Scale, options.Softcap, options.ZLossScale, lse, upstream, predicted)
            {
                Layout = options.Layout,
                Extras = RowExtras<T>.Of(options.Temperature, options.EntropyScale, g != null ? o : null, h, dh),
            };
            return TRunner.Run(operation, args, rows);
        }
    }
}

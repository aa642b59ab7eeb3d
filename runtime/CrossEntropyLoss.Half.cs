using System;
using LsrGen.Infrastructure;
using LsrGen.Routing;

namespace LsrGen;

/// <content>The class-index passes on Half logits, for <see cref="CrossEntropyLossHalfExtensions"/> (T is float there).</content>
public sealed partial class CrossEntropyLoss<T>
{
    internal T ForwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets)
    {
        (int rows, double denominator) = CheckReduced(logits, targets);
        double total = RunHalf(RowOperation.HardForward, logits, targets, default, default, default, default, T.One, rows);
        return Reduce(total, denominator);
    }

    internal void ForwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp)
    {
        int rows = CheckPerRow(logits, targets, losses, logSumExp);
        RunHalf(RowOperation.HardForward, logits, targets, default, losses, logSumExp, default, T.One, rows);
    }

    internal T ForwardBackwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> gradient)
    {
        (int rows, double denominator) = CheckWithGradient(logits, targets, gradient);
        T scale = Infrastructure.Reduce.HardScale<T>(Reduction, denominator);
        double total = RunHalf(RowOperation.HardGradient, logits, targets, gradient, default, default, default, scale, rows);
        return Reduce(total, denominator);
    }

    internal void BackwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<Half> gradient)
    {
        int rows = CheckBackward(logits, targets, logSumExp, lossGradients, gradient);
        RunHalf(RowOperation.HardBackward, logits, targets, gradient, default, logSumExp, lossGradients, T.One, rows);
    }

    /// <summary>Runs the float kernels on Half rows; <paramref name="matrixOutput"/> is a Half gradient, <paramref name="losses"/> float per-row losses.</summary>
    private unsafe double RunHalf(
        RowOperation operation, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> matrixOutput, Span<T> losses,
        ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows)
    {
        if (rows == 0)
        {
            return 0;
        }

        fixed (Half* x = logits)
        fixed (int* t = targets)
        fixed (Half* g = matrixOutput)
        fixed (T* o = losses)
        fixed (T* w = _weight)
        fixed (T* lse = logSumExp)
        fixed (T* upstream = lossGradients)
        {
            var args = new RowArgs<T>(
                (T*)x, Classes, g != null ? (T*)g : o, t, null, w, _labelSmoothing, IgnoreIndex, _weightTotal, scale, _softcap, _zLossScale, lse, upstream)
            {
                Layout = new RowLayout(0, 0, 0, Half: true),
            };
            return Routed.Run(operation, args, rows);
        }
    }
}

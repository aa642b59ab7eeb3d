using System;

namespace LsrGen;

/// <content>The class-index passes on Half logits, for <see cref="CrossEntropyLossHalfExtensions"/> (T is float there).</content>
public sealed partial class CrossEntropyLoss<T>
{
    internal T ForwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets)
    {
        (int rows, double denominator) = CheckReduced(logits, targets);
        double total = RunHalf(RowOperation.ClassIndexForward, logits, targets, default, default, default, default, T.One, rows);
        return Reduce(total, denominator);
    }

    internal void ForwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp)
    {
        int rows = CheckPerRow(logits, targets, losses, logSumExp);
        RunHalf(RowOperation.ClassIndexForward, logits, targets, default, losses, logSumExp, default, T.One, rows);
    }

    internal T ForwardBackwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> gradient)
    {
        (int rows, double denominator) = CheckWithGradient(logits, targets, gradient);
        T scale = LossMath.Reduce.ClassIndexScale<T>(Reduction, denominator);
        double total = RunHalf(RowOperation.ClassIndexGradient, logits, targets, gradient, default, default, default, scale, rows);
        return Reduce(total, denominator);
    }

    internal void BackwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<Half> gradient)
    {
        int rows = CheckBackward(logits, targets, logSumExp, lossGradients, gradient);
        RunHalf(RowOperation.ClassIndexBackward, logits, targets, gradient, default, logSumExp, lossGradients, T.One, rows);
    }

    /// <summary>Runs the float kernels on Half rows; <paramref name="matrixOutput"/> is a Half gradient, <paramref name="losses"/> float per-row losses.</summary>
    private double RunHalf(
        RowOperation operation, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> matrixOutput, Span<T> losses,
        ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows)
        => RowCall<T, RoutedRunner<T>>.Run(
            operation, logits, Classes, targets, default, matrixOutput, losses, _weight, logSumExp, lossGradients,
            Options(scale, new RowLayout(0, 0, 0, Half: true)), rows);
}

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

    internal void ForwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, in RowOutputs<T> outputs)
    {
        int rows = CheckPerRow(logits, targets, outputs);
        RunHalf(RowOperation.ClassIndexForward, logits, targets, default, outputs, default, default, T.One, rows);
    }

    internal T ForwardBackwardHalf(ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> gradient, in RowOutputs<T> outputs)
    {
        (int rows, double denominator) = CheckWithGradient(logits, targets, gradient, outputs);
        T scale = LossMath.Reduce.ClassIndexScale<T>(Reduction, denominator);
        double total = RunHalf(RowOperation.ClassIndexGradient, logits, targets, gradient, outputs, default, default, scale, rows);
        return Reduce(total, denominator);
    }

    internal void BackwardHalf(
        ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<Half> gradient,
        ReadOnlySpan<T> entropyGradients)
    {
        int rows = CheckBackward(logits, targets, logSumExp, lossGradients, gradient, entropyGradients);
        RunHalf(RowOperation.ClassIndexBackward, logits, targets, gradient, default, logSumExp, lossGradients, T.One, rows, entropyGradients);
    }

    private double RunHalf(
        RowOperation operation, ReadOnlySpan<Half> logits, ReadOnlySpan<int> targets, Span<Half> gradient, in RowOutputs<T> outputs,
        ReadOnlySpan<T> savedLogSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows, ReadOnlySpan<T> entropyGradients = default)
        => RowCall<T, RoutedRunner<T>>.Run(
            operation, logits, Classes, targets, default, gradient, outputs.Losses, _weight,
            operation.ReadsUpstream() ? savedLogSumExp : outputs.LogSumExp, lossGradients, Options(scale, new RowLayout(0, 0, 0, Half: true)), rows,
            outputs.Predictions, outputs.Entropy, entropyGradients);
}

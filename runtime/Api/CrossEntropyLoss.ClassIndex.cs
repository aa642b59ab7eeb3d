using System;
using System.Numerics;

namespace LsrGen;

/// <content>The four passes with class-index targets.</content>
public sealed partial class CrossEntropyLoss<T>
{
    /// <summary>The reduced loss with class-index targets: per row <c>(1 - eps) nll + (eps / K) smooth + a w[t] lse^2</c> over z, then the mean (divided by D) or the sum.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <returns>The reduced loss (NaN for a mean over D = 0).</returns>
    /// <exception cref="ArgumentException">A length is wrong.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public T Forward(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets)
    {
        (int rows, double denominator) = CheckReduced(logits, targets);
        double total = RunClassIndex(RowOperation.ClassIndexForward, logits, targets, default, default, default, T.One, rows);
        return Reduce(total, denominator);
    }

    /// <summary>Each row's loss (0 for an ignored row) and each row's log-sum-exp <c>m + log(sum exp(z - m))</c> (every row, ignored ones included).</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="losses">N losses; must not overlap an input or <paramref name="logSumExp"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values, for <c>Backward</c>; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length is wrong, or an output overlaps an input or the other output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public void Forward(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp)
    {
        int rows = CheckPerRow(logits, targets, losses, logSumExp);
        RunClassIndex(RowOperation.ClassIndexForward, logits, targets, losses, logSumExp, default, T.One, rows);
    }

    /// <summary>The reduced loss and its gradient with respect to the logits (times 1/D for a mean), in one call.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place). Ignored rows get 0.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public T ForwardBackward(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> gradient)
    {
        (int rows, double denominator) = CheckWithGradient(logits, targets, gradient);
        T scale = LossMath.Reduce.ClassIndexScale<T>(Reduction, denominator);
        double total = RunClassIndex(RowOperation.ClassIndexGradient, logits, targets, gradient, default, default, scale, rows);
        return Reduce(total, denominator);
    }

    /// <summary>
    /// The gradient of <c>sum_i lossGradients[i] * loss_i</c> with respect to the logits, from each row's saved
    /// log-sum-exp (one pass: no max or sum is recomputed): the backward of the per-row losses, as
    /// <c>losses.backward(lossGradients)</c>. An ignored row's gradient is 0 whatever its upstream value.
    /// </summary>
    /// <param name="logits">N rows of K logits, as given to <c>Forward</c>.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients (per-sample weights, advantages, 1/D for a mean...).</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public void Backward(ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<T> gradient)
    {
        int rows = CheckBackward(logits, targets, logSumExp, lossGradients, gradient);
        RunClassIndex(RowOperation.ClassIndexBackward, logits, targets, gradient, logSumExp, lossGradients, T.One, rows);
    }

    // The class-index passes' validation, for float or double logits and for Half ones (TX).
    private (int Rows, double Denominator) CheckReduced<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        return (spans.Rows, spans.TargetValues(IgnoreIndex));
    }

    private int CheckPerRow<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        spans.RowOutput(losses, nameof(losses));
        spans.RowOutput(logSumExp, nameof(logSumExp), losses, nameof(losses));
        spans.TargetValues(IgnoreIndex);
        return spans.Rows;
    }

    private (int Rows, double Denominator) CheckWithGradient<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets, Span<TX> gradient)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        spans.Gradient(gradient);
        return (spans.Rows, spans.TargetValues(IgnoreIndex));
    }

    private int CheckBackward<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<TX> gradient)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        spans.BackwardInputs(logSumExp, lossGradients);
        spans.Gradient(gradient, logSumExp, lossGradients);
        spans.TargetValues(IgnoreIndex);
        return spans.Rows;
    }

    private double RunClassIndex(
        RowOperation operation, ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> output,
        ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows, RowLayout layout = default)
        => RowCall<T, RoutedRunner<T>>.Run(
            operation, logits, Classes, targets, default, output, default, _weight, logSumExp, lossGradients, Options(scale, layout), rows);

    private T Reduce(double total, double denominator) => LossMath.Reduce.ClassIndex<T>(total, Reduction, denominator);
}

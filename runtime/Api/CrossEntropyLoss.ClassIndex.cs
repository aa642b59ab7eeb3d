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
        double total = RunClassIndex(RowOperation.ClassIndexForward, logits, targets, default, default, default, default, T.One, rows);
        return Reduce(total, denominator);
    }

    /// <summary>
    /// Per-row outputs with class-index targets, each optional (an empty span is not computed): each row's loss (0 for
    /// an ignored row), log-sum-exp of z (for <c>Backward</c>), entropy H of softmax(z), and predicted class (the first
    /// maximum logit of x, <c>torch.argmax</c>); the last three for every row, ignored ones included.
    /// </summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    /// <exception cref="ArgumentException">A length is wrong, or an output overlaps an input or another output.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public void Forward(
        ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp = default, Span<T> entropy = default,
        Span<int> predictions = default)
    {
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        int rows = CheckPerRow(logits, targets, outputs);
        RunClassIndex(RowOperation.ClassIndexForward, logits, targets, default, outputs, default, default, T.One, rows);
    }

    /// <summary>
    /// The reduced loss and its gradient with respect to the logits (times 1/D for a mean), in one call, with the
    /// optional per-row outputs of <see cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, Span{T}, Span{int})"/>.
    /// </summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place). Ignored rows get 0.</param>
    /// <param name="losses">N unreduced losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices (of the logits as given, read before an in-place gradient), or empty.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, or an output overlaps an input or another output other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public T ForwardBackward(
        ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> gradient, Span<T> losses = default, Span<T> logSumExp = default,
        Span<T> entropy = default, Span<int> predictions = default)
    {
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        (int rows, double denominator) = CheckWithGradient(logits, targets, gradient, outputs);
        T scale = LossMath.Reduce.ClassIndexScale<T>(Reduction, denominator);
        double total = RunClassIndex(RowOperation.ClassIndexGradient, logits, targets, gradient, outputs, default, default, scale, rows);
        return Reduce(total, denominator);
    }

    /// <summary>
    /// The gradient of <c>sum_i lossGradients[i] * loss_i + sum_i entropyGradients[i] * H_i</c> with respect to the
    /// logits, from each row's saved log-sum-exp (no max or sum is recomputed; with an entropy bonus or entropy
    /// gradients H is read from the row once more): the backward of the per-row losses, as
    /// <c>losses.backward(lossGradients)</c>, and of the entropies apart from them (PPO's bonus). An ignored row's
    /// gradient is 0 whatever its upstream values.
    /// </summary>
    /// <param name="logits">N rows of K logits, as given to <c>Forward</c>.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients (per-sample weights, advantages, 1/D for a mean...).</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="entropyGradients">N values dL/dH, or empty for none.</param>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public void Backward(
        ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<T> gradient,
        ReadOnlySpan<T> entropyGradients = default)
    {
        int rows = CheckBackward(logits, targets, logSumExp, lossGradients, gradient, entropyGradients);
        RunClassIndex(RowOperation.ClassIndexBackward, logits, targets, gradient, default, logSumExp, lossGradients, T.One, rows, entropyGradients: entropyGradients);
    }

    // The class-index passes' validation, for float or double logits and for Half ones (TX).
    private (int Rows, double Denominator) CheckReduced<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        return (spans.Rows, spans.TargetValues(IgnoreIndex));
    }

    private int CheckPerRow<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets, in RowOutputs<T> outputs)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        spans.Outputs(outputs);
        spans.TargetValues(IgnoreIndex);
        return spans.Rows;
    }

    private (int Rows, double Denominator) CheckWithGradient<TX>(ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets, Span<TX> gradient, in RowOutputs<T> outputs)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        spans.Gradient(gradient);
        spans.Outputs(outputs, gradient);
        return (spans.Rows, spans.TargetValues(IgnoreIndex));
    }

    private int CheckBackward<TX>(
        ReadOnlySpan<TX> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<TX> gradient,
        ReadOnlySpan<T> entropyGradients)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, Classes, targets, _weight);
        spans.BackwardInputs(logSumExp, lossGradients);
        spans.EntropyGradients(entropyGradients);
        spans.Gradient(gradient, logSumExp, lossGradients, entropyGradients);
        spans.TargetValues(IgnoreIndex);
        return spans.Rows;
    }

    // Every class-index call's packing: a forward pass's or a fused pass's per-row outputs, or Backward's inputs.
    private double RunClassIndex(
        RowOperation operation, ReadOnlySpan<T> logits, ReadOnlySpan<int> targets, Span<T> gradient, in RowOutputs<T> outputs,
        ReadOnlySpan<T> savedLogSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows, RowLayout layout = default,
        ReadOnlySpan<T> entropyGradients = default)
        => RowCall<T, RoutedRunner<T>>.Run(
            operation, logits, Classes, targets, default, gradient, outputs.Losses, _weight,
            operation.ReadsUpstream() ? savedLogSumExp : outputs.LogSumExp, lossGradients, Options(scale, layout), rows, outputs.Predictions,
            outputs.Entropy, entropyGradients);

    private T Reduce(double total, double denominator) => LossMath.Reduce.ClassIndex<T>(total, Reduction, denominator);
}

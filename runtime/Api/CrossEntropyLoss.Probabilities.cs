using System;

namespace LsrGen;

/// <content>The four passes with probability targets.</content>
public sealed partial class CrossEntropyLoss<T>
{
    /// <summary>The reduced loss with probability targets: per row <c>-sum_k w[k] q'_k logp_k + a lse^2 - b H</c>, q' = (1 - eps) q + eps / K, then the mean over N or the sum.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities (sums are not checked).</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, or a probability is negative or not finite.</exception>
    public T Forward(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities)
    {
        int rows = (int)LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default).TargetValues(0);
        double total = RunProbabilities(RowOperation.ProbabilityForward, logits, targetProbabilities, default, default, default, default, T.One, rows);
        return ReduceProbabilities(total, rows);
    }

    /// <summary>Per-row outputs with probability targets, each optional (an empty span is not computed): losses, log-sum-exps, entropies and predicted classes.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices (torch.argmax of each row of logits), or empty.</param>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, or an output overlaps an input or another output.</exception>
    public void Forward(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> losses, Span<T> logSumExp = default, Span<T> entropy = default,
        Span<int> predictions = default)
    {
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        var spans = LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default);
        spans.Outputs(outputs);
        spans.TargetValues(0);
        RunProbabilities(RowOperation.ProbabilityForward, logits, targetProbabilities, default, outputs, default, default, T.One, spans.Rows);
    }

    /// <summary>The reduced loss with probability targets and its gradient with respect to the logits (times 1/N for a mean), with the optional per-row outputs.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="losses">N unreduced losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices (of the logits as given), or empty.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, or an output overlaps an input or another output other than in place.</exception>
    public T ForwardBackward(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, Span<T> losses = default, Span<T> logSumExp = default,
        Span<T> entropy = default, Span<int> predictions = default)
    {
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        var spans = LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default);
        spans.Gradient(gradient);
        spans.Outputs(outputs, gradient);
        int rows = (int)spans.TargetValues(0);
        T scale = LossMath.Reduce.ProbabilityScale<T>(Reduction, rows);
        double total = RunProbabilities(RowOperation.ProbabilityGradient, logits, targetProbabilities, gradient, outputs, default, default, scale, rows);
        return ReduceProbabilities(total, rows);
    }

    /// <summary>
    /// The gradient of <c>sum_i lossGradients[i] * loss_i + sum_i entropyGradients[i] * H_i</c> with probability targets,
    /// from each row's saved log-sum-exp.
    /// </summary>
    /// <param name="logits">N rows of K logits, as given to <c>Forward</c>.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients.</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="entropyGradients">N values dL/dH, or empty for none.</param>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    public void Backward(
        ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<T> gradient,
        ReadOnlySpan<T> entropyGradients = default)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default);
        spans.BackwardInputs(logSumExp, lossGradients);
        spans.EntropyGradients(entropyGradients);
        spans.Gradient(gradient, logSumExp, lossGradients, entropyGradients);
        spans.TargetValues(0);
        RunProbabilities(
            RowOperation.ProbabilityBackward, logits, targetProbabilities, gradient, default, logSumExp, lossGradients, T.One, spans.Rows,
            entropyGradients: entropyGradients);
    }

    // Every probability-target call's packing, as RunClassIndex.
    private double RunProbabilities(
        RowOperation operation, ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, in RowOutputs<T> outputs,
        ReadOnlySpan<T> savedLogSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows, RowLayout layout = default,
        ReadOnlySpan<T> entropyGradients = default)
        => RowCall<T, RoutedRunner<T>>.Run(
            operation, logits, Classes, default, targetProbabilities, gradient, outputs.Losses, _weight,
            operation.ReadsUpstream() ? savedLogSumExp : outputs.LogSumExp, lossGradients, Options(scale, layout) with { IgnoreIndex = 0 }, rows,
            outputs.Predictions, outputs.Entropy, entropyGradients);

    private T ReduceProbabilities(double total, int rows) => LossMath.Reduce.Probabilities<T>(total, Reduction, rows);
}

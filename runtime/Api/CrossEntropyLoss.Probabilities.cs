using System;

namespace LsrGen;

/// <content>The four passes with probability targets.</content>
public sealed partial class CrossEntropyLoss<T>
{
    /// <summary>The reduced loss with probability targets: per row <c>-sum_k w[k] q'_k logp_k + a lse^2</c>, q' = (1 - eps) q + eps / K, then the mean over N or the sum.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities (sums are not checked).</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, or a probability is negative or not finite.</exception>
    public T Forward(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities)
    {
        int rows = (int)LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default).TargetValues(0);
        double total = RunProbabilities(RowOperation.ProbabilityForward, logits, targetProbabilities, default, default, default, T.One, rows);
        return ReduceProbabilities(total, rows);
    }

    /// <summary>Each row's loss and log-sum-exp, with probability targets.</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses; must not overlap an input or <paramref name="logSumExp"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values, for <c>Backward</c>; must not overlap an input.</param>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, or an output overlaps an input or the other output.</exception>
    public void Forward(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> losses, Span<T> logSumExp)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default);
        spans.RowOutput(losses, nameof(losses));
        spans.RowOutput(logSumExp, nameof(logSumExp), losses, nameof(losses));
        spans.TargetValues(0);
        RunProbabilities(RowOperation.ProbabilityForward, logits, targetProbabilities, losses, logSumExp, default, T.One, spans.Rows);
    }

    /// <summary>The reduced loss with probability targets and its gradient with respect to the logits (times 1/N for a mean).</summary>
    /// <param name="logits">N rows of K logits.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    public T ForwardBackward(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> gradient)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default);
        spans.Gradient(gradient);
        int rows = (int)spans.TargetValues(0);
        T scale = LossMath.Reduce.ProbabilityScale<T>(Reduction, rows);
        double total = RunProbabilities(RowOperation.ProbabilityGradient, logits, targetProbabilities, gradient, default, default, scale, rows);
        return ReduceProbabilities(total, rows);
    }

    /// <summary>The gradient of <c>sum_i lossGradients[i] * loss_i</c> with probability targets, from each row's saved log-sum-exp.</summary>
    /// <param name="logits">N rows of K logits, as given to <c>Forward</c>.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients.</param>
    /// <param name="gradient">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentException">A length is wrong, a probability is invalid, or <paramref name="gradient"/> overlaps an input other than in place.</exception>
    public void Backward(ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, Span<T> gradient)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, Classes, targetProbabilities, default);
        spans.BackwardInputs(logSumExp, lossGradients);
        spans.Gradient(gradient, logSumExp, lossGradients);
        spans.TargetValues(0);
        RunProbabilities(RowOperation.ProbabilityBackward, logits, targetProbabilities, gradient, logSumExp, lossGradients, T.One, spans.Rows);
    }

    private double RunProbabilities(
        RowOperation operation, ReadOnlySpan<T> logits, ReadOnlySpan<T> targetProbabilities, Span<T> output,
        ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, T scale, int rows, RowLayout layout = default)
        => RowCall<T, RoutedRunner<T>>.Run(
            operation, logits, Classes, default, targetProbabilities, output, default, _weight, logSumExp, lossGradients,
            Options(scale, layout) with { IgnoreIndex = 0 }, rows);

    private T ReduceProbabilities(double total, int rows) => LossMath.Reduce.Probabilities<T>(total, Reduction, rows);
}

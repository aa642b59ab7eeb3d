using System;

namespace LsrGen;

public static partial class LsrKernels
{
    /// <summary>
    /// <c>F.cross_entropy(logits, targets, weight, ignore_index, reduction, label_smoothing)</c> with class-index targets:
    /// per row <c>(1 - eps) * -w[t] * logp[t] + (eps / K) * -sum_k w[k] * logp[k]</c>, reduced.
    /// </summary>
    /// <param name="logits">N rows of <paramref name="classes"/> unnormalised scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="labelSmoothing">eps in [0, 1]: the share of the target mass spread uniformly over all K classes.</param>
    /// <param name="reduction"><see cref="Reduction.Mean"/> divides the sum by the summed target weight of the non-ignored rows (NaN when that is 0).</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100; may be a valid class).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/>, <paramref name="labelSmoothing"/>, <paramref name="reduction"/> or a target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or a weight is negative or not finite.</exception>
    public static float CrossEntropy(
        ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropy(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static double CrossEntropy(
        ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<double> weight = default)
        => SpanCalls<double, RoutedRunner<double>>.CrossEntropy(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    /// <summary>
    /// Per-row label-smoothing cross-entropy with class-index targets (PyTorch's <c>reduction="none"</c>);
    /// an ignored row gets 0.
    /// </summary>
    /// <param name="logits">N rows of <paramref name="classes"/> unnormalised scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="losses">N losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="ignoreIndex">The target value of rows that get loss 0 (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/>, <paramref name="labelSmoothing"/> or a target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, a weight is invalid, or <paramref name="losses"/> overlaps an input.</exception>
    public static void CrossEntropy(
        ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, Span<float> losses,
        float labelSmoothing = 0, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropy(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    public static void CrossEntropy(
        ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets, Span<double> losses,
        double labelSmoothing = 0, int ignoreIndex = -100, ReadOnlySpan<double> weight = default)
        => SpanCalls<double, RoutedRunner<double>>.CrossEntropy(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    /// <summary>
    /// The reduced label-smoothing cross-entropy with class-index targets and, in the same pass, its gradient with
    /// respect to the logits (scaled by the reduction). Ignored rows get a zero gradient.
    /// </summary>
    /// <param name="logits">N rows of <paramref name="classes"/> unnormalised scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">N * K gradient values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction of the loss; the gradient is that of the reduced loss.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/>, <paramref name="labelSmoothing"/>, <paramref name="reduction"/> or a target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, a weight is invalid, or <paramref name="gradient"/> partially overlaps an input.</exception>
    public static float CrossEntropyWithGradient(
        ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, Span<float> gradient,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropyWithGradient(logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static double CrossEntropyWithGradient(
        ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets, Span<double> gradient,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<double> weight = default)
        => SpanCalls<double, RoutedRunner<double>>.CrossEntropyWithGradient(logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    /// <summary>
    /// <c>F.cross_entropy</c> with probability targets: per row <c>-sum_k w[k] * q'[k] * logp[k]</c> with
    /// <c>q' = (1 - eps) * q + eps / K</c>, reduced; <see cref="Reduction.Mean"/> divides by N.
    /// </summary>
    /// <param name="logits">N rows of <paramref name="classes"/> unnormalised scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities (row sums are not checked).</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by N.</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/>, <paramref name="labelSmoothing"/> or <paramref name="reduction"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or a weight or probability is negative or not finite.</exception>
    public static float CrossEntropy(
        ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> targetProbabilities,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropy(logits, classes, targetProbabilities, labelSmoothing, reduction, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static double CrossEntropy(
        ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targetProbabilities,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default)
        => SpanCalls<double, RoutedRunner<double>>.CrossEntropy(logits, classes, targetProbabilities, labelSmoothing, reduction, weight);

    /// <summary>Per-row label-smoothing cross-entropy with probability targets (PyTorch's <c>reduction="none"</c>).</summary>
    /// <param name="logits">N rows of <paramref name="classes"/> unnormalised scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> or <paramref name="labelSmoothing"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, a weight or probability is invalid, or <paramref name="losses"/> overlaps an input.</exception>
    public static void CrossEntropy(
        ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> targetProbabilities, Span<float> losses,
        float labelSmoothing = 0, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropy(logits, classes, targetProbabilities, losses, labelSmoothing, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, ReadOnlySpan{float})"/>
    public static void CrossEntropy(
        ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targetProbabilities, Span<double> losses,
        double labelSmoothing = 0, ReadOnlySpan<double> weight = default)
        => SpanCalls<double, RoutedRunner<double>>.CrossEntropy(logits, classes, targetProbabilities, losses, labelSmoothing, weight);

    /// <summary>
    /// The reduced label-smoothing cross-entropy with probability targets and its gradient with respect to the logits:
    /// per row <c>(sum_k w[k] q'[k]) * p[j] - w[j] * q'[j]</c>, times the reduction's scale.
    /// </summary>
    /// <param name="logits">N rows of <paramref name="classes"/> unnormalised scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targetProbabilities">N * K finite, non-negative target probabilities.</param>
    /// <param name="gradient">N * K gradient values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by N.</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    /// <returns>The reduced loss.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/>, <paramref name="labelSmoothing"/> or <paramref name="reduction"/> is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, a weight or probability is invalid, or <paramref name="gradient"/> partially overlaps an input.</exception>
    public static float CrossEntropyWithGradient(
        ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> targetProbabilities, Span<float> gradient,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropyWithGradient(logits, classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static double CrossEntropyWithGradient(
        ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targetProbabilities, Span<double> gradient,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default)
        => SpanCalls<double, RoutedRunner<double>>.CrossEntropyWithGradient(logits, classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);
}

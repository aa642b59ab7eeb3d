using System;

namespace LsrGen;

/// <content>
/// Half logits (class-index targets): math in float, a gradient or probability matrix rounded to Half once, losses and
/// log-sum-exp as float. Reached through <see cref="CrossEntropyLossHalfExtensions"/> on a <c>CrossEntropyLoss&lt;float&gt;</c>.
/// </content>
public static partial class LsrKernels
{
    /// <summary>log_softmax of each row of Half logits, computed in float and rounded to Half once.</summary>
    /// <param name="logits">N rows of <paramref name="classes"/> Half scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="destination">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="destination"/> partially overlaps <paramref name="logits"/>.</exception>
    public static void LogSoftmax(ReadOnlySpan<Half> logits, int classes, Span<Half> destination)
        => SpanCalls<float, RoutedRunner<float>>.Probabilities(RowOperation.LogSoftmax, logits, classes, destination, RowLayout.HalfRows);

    /// <summary>softmax of each row of Half logits, computed in float and rounded to Half once.</summary>
    /// <param name="logits">N rows of <paramref name="classes"/> Half scores.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="destination">N * K values; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="destination"/> partially overlaps <paramref name="logits"/>.</exception>
    public static void Softmax(ReadOnlySpan<Half> logits, int classes, Span<Half> destination)
        => SpanCalls<float, RoutedRunner<float>>.Probabilities(RowOperation.Softmax, logits, classes, destination, RowLayout.HalfRows);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, float, Reduction, int, ReadOnlySpan{float})"/>
    /// <param name="logits">N rows of <paramref name="classes"/> Half scores (widened to float; the loss is float).</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by the summed target weight of the non-ignored rows.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static float CrossEntropy(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropy(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight, RowLayout.HalfRows);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    /// <param name="logits">N rows of <paramref name="classes"/> Half scores (widened to float).</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="losses">N float losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="ignoreIndex">The target value of rows that get loss 0 (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static void CrossEntropy(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<float> losses,
        float labelSmoothing = 0, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropy(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight, RowLayout.HalfRows);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    /// <param name="logits">N rows of <paramref name="classes"/> Half scores (widened to float; the loss is float).</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">N * K Half values, rounded once from float; may be exactly the memory of <paramref name="logits"/> (in place).</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction of the loss; the gradient is that of the reduced loss.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static float CrossEntropyWithGradient(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<Half> gradient,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => SpanCalls<float, RoutedRunner<float>>.CrossEntropyWithGradient(logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight, RowLayout.HalfRows);
}

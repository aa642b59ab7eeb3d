using System;
using System.Numerics.Tensors;

namespace LsrGen;

/// <content>
/// The operations on [N, K] tensor spans: K is the last length, the last stride must be 1 and the row stride at least
/// K (a padded vocabulary: padding columns are never read or written). Semantics, errors, routing to generated kernels
/// and results are those of the span overloads on a dense copy, bit for bit.
/// </content>
public static partial class LsrKernels
{
    /// <summary>log_softmax over the last dimension of an [N, K] tensor span.</summary>
    /// <param name="logits">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="destination">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place).</param>
    /// <exception cref="ArgumentException">A shape or length is wrong, the last stride is not 1 or the row stride is below K, or an output overlaps an input other than in place.</exception>
    public static void LogSoftmax(ReadOnlyTensorSpan<float> logits, TensorSpan<float> destination)
        => TensorRunner<float>.Probabilities(RowOperation.LogSoftmax, logits, destination);

    /// <summary>softmax over the last dimension of an [N, K] tensor span.</summary>
    /// <param name="logits">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="destination">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place).</param>
    /// <exception cref="ArgumentException">A shape or length is wrong, the last stride is not 1 or the row stride is below K, or an output overlaps an input other than in place.</exception>
    public static void Softmax(ReadOnlyTensorSpan<float> logits, TensorSpan<float> destination)
        => TensorRunner<float>.Probabilities(RowOperation.Softmax, logits, destination);

    /// <summary>Each row's value at its target class (<c>torch.gather(values, 1, targets[:, None])</c>); ignored rows get 0.</summary>
    /// <param name="values">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="destination">N values; must not overlap an input.</param>
    /// <param name="ignoreIndex">The target value of rows that get 0 (default -100).</param>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, a stride is invalid, or <paramref name="destination"/> overlaps an input.</exception>
    public static void GatherTargets(ReadOnlyTensorSpan<float> values, ReadOnlySpan<int> targets, Span<float> destination, int ignoreIndex = -100)
        => TensorGather.GatherTargets(values, targets, destination, ignoreIndex);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, float, Reduction, int, ReadOnlySpan{float})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by the summed target weight of the non-ignored rows.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static float CrossEntropy(
        ReadOnlyTensorSpan<float> logits, ReadOnlySpan<int> targets,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => TensorRunner<float>.CrossEntropy(logits, targets, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="losses">N losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="ignoreIndex">The target value of rows that get loss 0 (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static void CrossEntropy(
        ReadOnlyTensorSpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses,
        float labelSmoothing = 0, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => TensorRunner<float>.CrossEntropy(logits, targets, losses, labelSmoothing, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction of the loss; the gradient is that of the reduced loss.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static float CrossEntropyWithGradient(
        ReadOnlyTensorSpan<float> logits, ReadOnlySpan<int> targets, TensorSpan<float> gradient,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<float> weight = default)
        => TensorRunner<float>.CrossEntropyWithGradient(logits, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Reduction, ReadOnlySpan{float})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by N.</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static float CrossEntropy(
        ReadOnlyTensorSpan<float> logits, ReadOnlyTensorSpan<float> targetProbabilities,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<float> weight = default)
        => TensorRunner<float>.CrossEntropy(logits, targetProbabilities, labelSmoothing, reduction, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, ReadOnlySpan{float})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static void CrossEntropy(
        ReadOnlyTensorSpan<float> logits, ReadOnlyTensorSpan<float> targetProbabilities, Span<float> losses,
        float labelSmoothing = 0, ReadOnlySpan<float> weight = default)
        => TensorRunner<float>.CrossEntropy(logits, targetProbabilities, losses, labelSmoothing, weight);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, Reduction, ReadOnlySpan{float})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by N.</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static float CrossEntropyWithGradient(
        ReadOnlyTensorSpan<float> logits, ReadOnlyTensorSpan<float> targetProbabilities, TensorSpan<float> gradient,
        float labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<float> weight = default)
        => TensorRunner<float>.CrossEntropyWithGradient(logits, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    /// <summary>log_softmax over the last dimension of an [N, K] tensor span.</summary>
    /// <param name="logits">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="destination">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place).</param>
    /// <exception cref="ArgumentException">A shape or length is wrong, the last stride is not 1 or the row stride is below K, or an output overlaps an input other than in place.</exception>
    public static void LogSoftmax(ReadOnlyTensorSpan<double> logits, TensorSpan<double> destination)
        => TensorRunner<double>.Probabilities(RowOperation.LogSoftmax, logits, destination);

    /// <summary>softmax over the last dimension of an [N, K] tensor span.</summary>
    /// <param name="logits">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="destination">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place).</param>
    /// <exception cref="ArgumentException">A shape or length is wrong, the last stride is not 1 or the row stride is below K, or an output overlaps an input other than in place.</exception>
    public static void Softmax(ReadOnlyTensorSpan<double> logits, TensorSpan<double> destination)
        => TensorRunner<double>.Probabilities(RowOperation.Softmax, logits, destination);

    /// <summary>Each row's value at its target class (<c>torch.gather(values, 1, targets[:, None])</c>); ignored rows get 0.</summary>
    /// <param name="values">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="destination">N values; must not overlap an input.</param>
    /// <param name="ignoreIndex">The target value of rows that get 0 (default -100).</param>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    /// <exception cref="ArgumentException">A length is wrong, a stride is invalid, or <paramref name="destination"/> overlaps an input.</exception>
    public static void GatherTargets(ReadOnlyTensorSpan<double> values, ReadOnlySpan<int> targets, Span<double> destination, int ignoreIndex = -100)
        => TensorGather.GatherTargets(values, targets, destination, ignoreIndex);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, double, Reduction, int, ReadOnlySpan{double})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by the summed target weight of the non-ignored rows.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static double CrossEntropy(
        ReadOnlyTensorSpan<double> logits, ReadOnlySpan<int> targets,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<double> weight = default)
        => TensorRunner<double>.CrossEntropy(logits, targets, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Span{double}, double, int, ReadOnlySpan{double})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="losses">N losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="ignoreIndex">The target value of rows that get loss 0 (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static void CrossEntropy(
        ReadOnlyTensorSpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses,
        double labelSmoothing = 0, int ignoreIndex = -100, ReadOnlySpan<double> weight = default)
        => TensorRunner<double>.CrossEntropy(logits, targets, losses, labelSmoothing, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{double}, int, ReadOnlySpan{int}, Span{double}, double, Reduction, int, ReadOnlySpan{double})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <paramref name="ignoreIndex"/>.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction of the loss; the gradient is that of the reduced loss.</param>
    /// <param name="ignoreIndex">The target value of rows that contribute nothing (default -100).</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static double CrossEntropyWithGradient(
        ReadOnlyTensorSpan<double> logits, ReadOnlySpan<int> targets, TensorSpan<double> gradient,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, int ignoreIndex = -100, ReadOnlySpan<double> weight = default)
        => TensorRunner<double>.CrossEntropyWithGradient(logits, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{double}, double, Reduction, ReadOnlySpan{double})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by N.</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static double CrossEntropy(
        ReadOnlyTensorSpan<double> logits, ReadOnlyTensorSpan<double> targetProbabilities,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default)
        => TensorRunner<double>.CrossEntropy(logits, targetProbabilities, labelSmoothing, reduction, weight);

    /// <inheritdoc cref="CrossEntropy(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double}, double, ReadOnlySpan{double})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses, one per row; must not overlap an input.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static void CrossEntropy(
        ReadOnlyTensorSpan<double> logits, ReadOnlyTensorSpan<double> targetProbabilities, Span<double> losses,
        double labelSmoothing = 0, ReadOnlySpan<double> weight = default)
        => TensorRunner<double>.CrossEntropy(logits, targetProbabilities, losses, labelSmoothing, weight);

    /// <inheritdoc cref="CrossEntropyWithGradient(ReadOnlySpan{double}, int, ReadOnlySpan{double}, Span{double}, double, Reduction, ReadOnlySpan{double})"/>
    /// <param name="logits">An [N, K] tensor span of unnormalised scores; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="labelSmoothing">eps in [0, 1].</param>
    /// <param name="reduction">The reduction; the mean divides by N.</param>
    /// <param name="weight">Optional K non-negative class weights; empty means all ones.</param>
    public static double CrossEntropyWithGradient(
        ReadOnlyTensorSpan<double> logits, ReadOnlyTensorSpan<double> targetProbabilities, TensorSpan<double> gradient,
        double labelSmoothing = 0, Reduction reduction = Reduction.Mean, ReadOnlySpan<double> weight = default)
        => TensorRunner<double>.CrossEntropyWithGradient(logits, targetProbabilities, gradient, labelSmoothing, reduction, weight);
}

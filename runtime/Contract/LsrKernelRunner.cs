using System;
using System.ComponentModel;
using System.Numerics;

namespace LsrGen.Contract;

/// <summary>
/// The span members of a generated class: <see cref="SpanCalls{T, TRunner}"/> with the generated kernel as the only
/// kernel (no routing), so a generated class validates, reduces and parallelises as <see cref="LsrKernels"/> does.
/// For generated code only: not intended to be called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TKernel">The row kernel.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LsrKernelRunner<T, TKernel>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TKernel : ILsrRowKernel<T>
{
    /// <inheritdoc cref="LsrKernels.LogSoftmax(ReadOnlySpan{float}, int, Span{float})"/>
    public static void LogSoftmax(ReadOnlySpan<T> logits, int classes, Span<T> destination)
        => SpanCalls<T, DirectRunner<T, TKernel>>.LogSoftmax(logits, classes, destination);

    /// <inheritdoc cref="LsrKernels.Softmax(ReadOnlySpan{float}, int, Span{float})"/>
    public static void Softmax(ReadOnlySpan<T> logits, int classes, Span<T> destination)
        => SpanCalls<T, DirectRunner<T, TKernel>>.Softmax(logits, classes, destination);

    /// <inheritdoc cref="LsrKernels.LogSoftmaxBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void LogSoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
        => SpanCalls<T, DirectRunner<T, TKernel>>.LogSoftmaxBackward(output, outputGradient, classes, inputGradient);

    /// <inheritdoc cref="LsrKernels.SoftmaxBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void SoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
        => SpanCalls<T, DirectRunner<T, TKernel>>.SoftmaxBackward(output, outputGradient, classes, inputGradient);

    /// <inheritdoc cref="LsrKernels.ArgMax(ReadOnlySpan{float}, int, Span{int})"/>
    public static void ArgMax(ReadOnlySpan<T> values, int classes, Span<int> destination)
        => SpanCalls<T, DirectRunner<T, TKernel>>.ArgMax(values, classes, destination);

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
        => SpanCalls<T, DirectRunner<T, TKernel>>.CrossEntropy(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    public static void CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight)
        => SpanCalls<T, DirectRunner<T, TKernel>>.CrossEntropy(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
        => SpanCalls<T, DirectRunner<T, TKernel>>.CrossEntropyWithGradient(logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static T CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
        => SpanCalls<T, DirectRunner<T, TKernel>>.CrossEntropy(logits, classes, targetProbabilities, labelSmoothing, reduction, weight);

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, ReadOnlySpan{float})"/>
    public static void CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight)
        => SpanCalls<T, DirectRunner<T, TKernel>>.CrossEntropy(logits, classes, targetProbabilities, losses, labelSmoothing, weight);

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
        => SpanCalls<T, DirectRunner<T, TKernel>>.CrossEntropyWithGradient(logits, classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);
}

using System;
using System.Numerics.Tensors;

namespace LsrGen;

/// <content>
/// The backward of log-softmax and softmax, for losses LsrGen does not compute itself (distillation, custom losses),
/// and the predicted class of each row. Dense rows of K values, or [N, K] tensor spans (last stride 1, any row stride
/// of at least K; padding is never read or written).
/// </content>
public static partial class LsrKernels
{
    /// <summary>
    /// The gradient of the logits from a log-softmax's output and its gradient, as <c>torch._log_softmax_backward_data</c>:
    /// <c>inputGradient[i, j] = outputGradient[i, j] - exp(output[i, j]) * sum_k outputGradient[i, k]</c>.
    /// </summary>
    /// <param name="output">N rows of <paramref name="classes"/> log-probabilities, as <see cref="LogSoftmax(ReadOnlySpan{float}, int, Span{float})"/> writes them.</param>
    /// <param name="outputGradient">dL/d(output): N * K values.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="inputGradient">dL/d(logits): N * K values; may be exactly the memory of <paramref name="outputGradient"/> (in place), must not overlap <paramref name="output"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="inputGradient"/> overlaps an input other than in place; nothing has been written.</exception>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int classes, Span<float> inputGradient)
        => SpanCalls<float, RoutedRunner<float>>.LogSoftmaxBackward(output, outputGradient, classes, inputGradient);

    /// <inheritdoc cref="LogSoftmaxBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void LogSoftmaxBackward(ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, int classes, Span<double> inputGradient)
        => SpanCalls<double, RoutedRunner<double>>.LogSoftmaxBackward(output, outputGradient, classes, inputGradient);

    /// <summary>
    /// The gradient of the logits from a softmax's output and its gradient, as <c>torch._softmax_backward_data</c>:
    /// <c>inputGradient[i, j] = output[i, j] * (outputGradient[i, j] - sum_k outputGradient[i, k] * output[i, k])</c>.
    /// </summary>
    /// <param name="output">N rows of <paramref name="classes"/> probabilities, as <see cref="Softmax(ReadOnlySpan{float}, int, Span{float})"/> writes them.</param>
    /// <param name="outputGradient">dL/d(output): N * K values.</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="inputGradient">dL/d(logits): N * K values; may be exactly the memory of <paramref name="outputGradient"/> (in place), must not overlap <paramref name="output"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="inputGradient"/> overlaps an input other than in place; nothing has been written.</exception>
    public static void SoftmaxBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int classes, Span<float> inputGradient)
        => SpanCalls<float, RoutedRunner<float>>.SoftmaxBackward(output, outputGradient, classes, inputGradient);

    /// <inheritdoc cref="SoftmaxBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void SoftmaxBackward(ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, int classes, Span<double> inputGradient)
        => SpanCalls<double, RoutedRunner<double>>.SoftmaxBackward(output, outputGradient, classes, inputGradient);

    /// <summary>
    /// Each row's predicted class, as <c>torch.argmax(values, dim=-1)</c>: the index of the row's first maximum under IEEE
    /// comparison (-0 and +0 are equal, so the first of them wins), the index of the first NaN on a row holding NaN, and 0
    /// on a row of all -Inf.
    /// </summary>
    /// <param name="values">N rows of <paramref name="classes"/> values (logits, log-probabilities or probabilities).</param>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <param name="destination">N class indices.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">A length is wrong, or <paramref name="destination"/> overlaps <paramref name="values"/>; nothing has been written.</exception>
    public static void ArgMax(ReadOnlySpan<float> values, int classes, Span<int> destination)
        => SpanCalls<float, RoutedRunner<float>>.ArgMax(values, classes, destination);

    /// <inheritdoc cref="ArgMax(ReadOnlySpan{float}, int, Span{int})"/>
    public static void ArgMax(ReadOnlySpan<double> values, int classes, Span<int> destination)
        => SpanCalls<double, RoutedRunner<double>>.ArgMax(values, classes, destination);

    /// <summary>The backward of log-softmax over the last dimension of [N, K] tensor spans (<c>torch._log_softmax_backward_data</c>).</summary>
    /// <param name="output">An [N, K] tensor span of log-probabilities.</param>
    /// <param name="outputGradient">An [N, K] tensor span: dL/d(output).</param>
    /// <param name="inputGradient">An [N, K] tensor span: dL/d(logits); may be exactly <paramref name="outputGradient"/> (same memory and strides: in place), must not overlap <paramref name="output"/>.</param>
    /// <exception cref="ArgumentException">A shape is wrong, the last stride is not 1 or a row stride is below K, or <paramref name="inputGradient"/> overlaps an input other than in place; nothing has been written.</exception>
    public static void LogSoftmaxBackward(ReadOnlyTensorSpan<float> output, ReadOnlyTensorSpan<float> outputGradient, TensorSpan<float> inputGradient)
        => TensorRunner<float>.Backward(RowOperation.LogSoftmaxBackward, output, outputGradient, inputGradient);

    /// <inheritdoc cref="LogSoftmaxBackward(ReadOnlyTensorSpan{float}, ReadOnlyTensorSpan{float}, TensorSpan{float})"/>
    public static void LogSoftmaxBackward(ReadOnlyTensorSpan<double> output, ReadOnlyTensorSpan<double> outputGradient, TensorSpan<double> inputGradient)
        => TensorRunner<double>.Backward(RowOperation.LogSoftmaxBackward, output, outputGradient, inputGradient);

    /// <summary>The backward of softmax over the last dimension of [N, K] tensor spans (<c>torch._softmax_backward_data</c>).</summary>
    /// <param name="output">An [N, K] tensor span of probabilities.</param>
    /// <param name="outputGradient">An [N, K] tensor span: dL/d(output).</param>
    /// <param name="inputGradient">An [N, K] tensor span: dL/d(logits); may be exactly <paramref name="outputGradient"/> (same memory and strides: in place), must not overlap <paramref name="output"/>.</param>
    /// <exception cref="ArgumentException">A shape is wrong, the last stride is not 1 or a row stride is below K, or <paramref name="inputGradient"/> overlaps an input other than in place; nothing has been written.</exception>
    public static void SoftmaxBackward(ReadOnlyTensorSpan<float> output, ReadOnlyTensorSpan<float> outputGradient, TensorSpan<float> inputGradient)
        => TensorRunner<float>.Backward(RowOperation.SoftmaxBackward, output, outputGradient, inputGradient);

    /// <inheritdoc cref="SoftmaxBackward(ReadOnlyTensorSpan{float}, ReadOnlyTensorSpan{float}, TensorSpan{float})"/>
    public static void SoftmaxBackward(ReadOnlyTensorSpan<double> output, ReadOnlyTensorSpan<double> outputGradient, TensorSpan<double> inputGradient)
        => TensorRunner<double>.Backward(RowOperation.SoftmaxBackward, output, outputGradient, inputGradient);

    /// <summary>Each row's predicted class of an [N, K] tensor span, as <c>torch.argmax(values, dim=-1)</c> (the rule of <see cref="ArgMax(ReadOnlySpan{float}, int, Span{int})"/>).</summary>
    /// <param name="values">An [N, K] tensor span; rows may be padded (row stride above K).</param>
    /// <param name="destination">N class indices.</param>
    /// <exception cref="ArgumentException">A length is wrong, the last stride is not 1 or the row stride is below K, or <paramref name="destination"/> overlaps <paramref name="values"/>; nothing has been written.</exception>
    public static void ArgMax(ReadOnlyTensorSpan<float> values, Span<int> destination)
        => TensorRunner<float>.ArgMax(values, destination);

    /// <inheritdoc cref="ArgMax(ReadOnlyTensorSpan{float}, Span{int})"/>
    public static void ArgMax(ReadOnlyTensorSpan<double> values, Span<int> destination)
        => TensorRunner<double>.ArgMax(values, destination);
}

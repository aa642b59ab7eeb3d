using System;
using System.Numerics.Tensors;

namespace LsrGen.Tests;

/// <summary>The tensor-span overloads of <see cref="LsrKernels"/>, so one suite runs them for float and double.</summary>
public interface ITensorApi<T>
{
    void LogSoftmax(ReadOnlyTensorSpan<T> logits, TensorSpan<T> destination);

    void Softmax(ReadOnlyTensorSpan<T> logits, TensorSpan<T> destination);

    void GatherTargets(ReadOnlyTensorSpan<T> values, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex);

    T CrossEntropy(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight);

    void CrossEntropy(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight);

    T CrossEntropyWithGradient(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, TensorSpan<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight);

    T CrossEntropy(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight);

    void CrossEntropy(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight);

    T CrossEntropyWithGradient(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, TensorSpan<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight);

    void LogSoftmaxBackward(ReadOnlyTensorSpan<T> output, ReadOnlyTensorSpan<T> outputGradient, TensorSpan<T> inputGradient);

    void SoftmaxBackward(ReadOnlyTensorSpan<T> output, ReadOnlyTensorSpan<T> outputGradient, TensorSpan<T> inputGradient);

    void ArgMax(ReadOnlyTensorSpan<T> values, Span<int> destination);
}

public sealed class TensorFloatApi : ITensorApi<float>
{
    public static readonly TensorFloatApi Instance = new();

    public void LogSoftmax(ReadOnlyTensorSpan<float> logits, TensorSpan<float> destination) => LsrKernels.LogSoftmax(logits, destination);

    public void Softmax(ReadOnlyTensorSpan<float> logits, TensorSpan<float> destination) => LsrKernels.Softmax(logits, destination);

    public void GatherTargets(ReadOnlyTensorSpan<float> values, ReadOnlySpan<int> targets, Span<float> destination, int ignoreIndex)
        => LsrKernels.GatherTargets(values, targets, destination, ignoreIndex);

    public float CrossEntropy(ReadOnlyTensorSpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public void CrossEntropy(ReadOnlyTensorSpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, targets, losses, labelSmoothing, ignoreIndex, weight);

    public float CrossEntropyWithGradient(ReadOnlyTensorSpan<float> logits, ReadOnlySpan<int> targets, TensorSpan<float> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public float CrossEntropy(ReadOnlyTensorSpan<float> logits, ReadOnlyTensorSpan<float> targetProbabilities, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, targetProbabilities, labelSmoothing, reduction, weight);

    public void CrossEntropy(ReadOnlyTensorSpan<float> logits, ReadOnlyTensorSpan<float> targetProbabilities, Span<float> losses, float labelSmoothing, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, targetProbabilities, losses, labelSmoothing, weight);

    public float CrossEntropyWithGradient(ReadOnlyTensorSpan<float> logits, ReadOnlyTensorSpan<float> targetProbabilities, TensorSpan<float> gradient, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    public void LogSoftmaxBackward(ReadOnlyTensorSpan<float> output, ReadOnlyTensorSpan<float> outputGradient, TensorSpan<float> inputGradient)
        => LsrKernels.LogSoftmaxBackward(output, outputGradient, inputGradient);

    public void SoftmaxBackward(ReadOnlyTensorSpan<float> output, ReadOnlyTensorSpan<float> outputGradient, TensorSpan<float> inputGradient)
        => LsrKernels.SoftmaxBackward(output, outputGradient, inputGradient);

    public void ArgMax(ReadOnlyTensorSpan<float> values, Span<int> destination) => LsrKernels.ArgMax(values, destination);
}

public sealed class TensorDoubleApi : ITensorApi<double>
{
    public static readonly TensorDoubleApi Instance = new();

    public void LogSoftmax(ReadOnlyTensorSpan<double> logits, TensorSpan<double> destination) => LsrKernels.LogSoftmax(logits, destination);

    public void Softmax(ReadOnlyTensorSpan<double> logits, TensorSpan<double> destination) => LsrKernels.Softmax(logits, destination);

    public void GatherTargets(ReadOnlyTensorSpan<double> values, ReadOnlySpan<int> targets, Span<double> destination, int ignoreIndex)
        => LsrKernels.GatherTargets(values, targets, destination, ignoreIndex);

    public double CrossEntropy(ReadOnlyTensorSpan<double> logits, ReadOnlySpan<int> targets, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public void CrossEntropy(ReadOnlyTensorSpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, double labelSmoothing, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, targets, losses, labelSmoothing, ignoreIndex, weight);

    public double CrossEntropyWithGradient(ReadOnlyTensorSpan<double> logits, ReadOnlySpan<int> targets, TensorSpan<double> gradient, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public double CrossEntropy(ReadOnlyTensorSpan<double> logits, ReadOnlyTensorSpan<double> targetProbabilities, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, targetProbabilities, labelSmoothing, reduction, weight);

    public void CrossEntropy(ReadOnlyTensorSpan<double> logits, ReadOnlyTensorSpan<double> targetProbabilities, Span<double> losses, double labelSmoothing, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, targetProbabilities, losses, labelSmoothing, weight);

    public double CrossEntropyWithGradient(ReadOnlyTensorSpan<double> logits, ReadOnlyTensorSpan<double> targetProbabilities, TensorSpan<double> gradient, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    public void LogSoftmaxBackward(ReadOnlyTensorSpan<double> output, ReadOnlyTensorSpan<double> outputGradient, TensorSpan<double> inputGradient)
        => LsrKernels.LogSoftmaxBackward(output, outputGradient, inputGradient);

    public void SoftmaxBackward(ReadOnlyTensorSpan<double> output, ReadOnlyTensorSpan<double> outputGradient, TensorSpan<double> inputGradient)
        => LsrKernels.SoftmaxBackward(output, outputGradient, inputGradient);

    public void ArgMax(ReadOnlyTensorSpan<double> values, Span<int> destination) => LsrKernels.ArgMax(values, destination);
}

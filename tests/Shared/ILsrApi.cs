using System;

namespace LsrGen.Tests;

/// <summary>The kernel surface under test, so one correctness suite runs against LsrKernels and every generated class.</summary>
public interface ILsrApi<T>
{
    string Name { get; }

    void LogSoftmax(ReadOnlySpan<T> logits, int classes, Span<T> destination);

    void Softmax(ReadOnlySpan<T> logits, int classes, Span<T> destination);

    void GatherTargets(ReadOnlySpan<T> values, int classes, ReadOnlySpan<int> targets, Span<T> destination, int ignoreIndex);

    T CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight);

    void CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight);

    T CrossEntropyWithGradient(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight);

    T CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight);

    void CrossEntropy(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight);

    T CrossEntropyWithGradient(ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight);

    void LogSoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient);

    void SoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient);

    void ArgMax(ReadOnlySpan<T> values, int classes, Span<int> destination);
}

public sealed class RuntimeFloatApi : ILsrApi<float>
{
    public static readonly RuntimeFloatApi Instance = new();

    public string Name => "LsrKernels<float>";

    public void LogSoftmax(ReadOnlySpan<float> logits, int classes, Span<float> destination) => LsrKernels.LogSoftmax(logits, classes, destination);

    public void Softmax(ReadOnlySpan<float> logits, int classes, Span<float> destination) => LsrKernels.Softmax(logits, classes, destination);

    public void GatherTargets(ReadOnlySpan<float> values, int classes, ReadOnlySpan<int> targets, Span<float> destination, int ignoreIndex)
        => LsrKernels.GatherTargets(values, classes, targets, destination, ignoreIndex);

    public float CrossEntropy(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public void CrossEntropy(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    public float CrossEntropyWithGradient(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<int> targets, Span<float> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public float CrossEntropy(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> targetProbabilities, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, classes, targetProbabilities, labelSmoothing, reduction, weight);

    public void CrossEntropy(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> targetProbabilities, Span<float> losses, float labelSmoothing, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropy(logits, classes, targetProbabilities, losses, labelSmoothing, weight);

    public float CrossEntropyWithGradient(ReadOnlySpan<float> logits, int classes, ReadOnlySpan<float> targetProbabilities, Span<float> gradient, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    public void LogSoftmaxBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int classes, Span<float> inputGradient)
        => LsrKernels.LogSoftmaxBackward(output, outputGradient, classes, inputGradient);

    public void SoftmaxBackward(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int classes, Span<float> inputGradient)
        => LsrKernels.SoftmaxBackward(output, outputGradient, classes, inputGradient);

    public void ArgMax(ReadOnlySpan<float> values, int classes, Span<int> destination) => LsrKernels.ArgMax(values, classes, destination);
}

public sealed class RuntimeDoubleApi : ILsrApi<double>
{
    public static readonly RuntimeDoubleApi Instance = new();

    public string Name => "LsrKernels<double>";

    public void LogSoftmax(ReadOnlySpan<double> logits, int classes, Span<double> destination) => LsrKernels.LogSoftmax(logits, classes, destination);

    public void Softmax(ReadOnlySpan<double> logits, int classes, Span<double> destination) => LsrKernels.Softmax(logits, classes, destination);

    public void GatherTargets(ReadOnlySpan<double> values, int classes, ReadOnlySpan<int> targets, Span<double> destination, int ignoreIndex)
        => LsrKernels.GatherTargets(values, classes, targets, destination, ignoreIndex);

    public double CrossEntropy(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public void CrossEntropy(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets, Span<double> losses, double labelSmoothing, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    public double CrossEntropyWithGradient(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<int> targets, Span<double> gradient, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public double CrossEntropy(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targetProbabilities, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, classes, targetProbabilities, labelSmoothing, reduction, weight);

    public void CrossEntropy(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targetProbabilities, Span<double> losses, double labelSmoothing, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropy(logits, classes, targetProbabilities, losses, labelSmoothing, weight);

    public double CrossEntropyWithGradient(ReadOnlySpan<double> logits, int classes, ReadOnlySpan<double> targetProbabilities, Span<double> gradient, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => LsrKernels.CrossEntropyWithGradient(logits, classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    public void LogSoftmaxBackward(ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, int classes, Span<double> inputGradient)
        => LsrKernels.LogSoftmaxBackward(output, outputGradient, classes, inputGradient);

    public void SoftmaxBackward(ReadOnlySpan<double> output, ReadOnlySpan<double> outputGradient, int classes, Span<double> inputGradient)
        => LsrKernels.SoftmaxBackward(output, outputGradient, classes, inputGradient);

    public void ArgMax(ReadOnlySpan<double> values, int classes, Span<int> destination) => LsrKernels.ArgMax(values, classes, destination);
}

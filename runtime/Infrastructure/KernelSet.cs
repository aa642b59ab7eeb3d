using System;

namespace LsrGen.Infrastructure;

/// <summary>Every K-specific operation of one generated kernel, called by <see cref="LsrKernels"/> when it routes.</summary>
internal abstract class KernelSet
{
    protected KernelSet(int classes, string typeName)
    {
        Classes = classes;
        TypeName = typeName;
    }

    public int Classes { get; }

    public string TypeName { get; }

    public abstract void LogSoftmax(ReadOnlySpan<float> logits, Span<float> destination);

    public abstract void LogSoftmax(ReadOnlySpan<double> logits, Span<double> destination);

    public abstract void Softmax(ReadOnlySpan<float> logits, Span<float> destination);

    public abstract void Softmax(ReadOnlySpan<double> logits, Span<double> destination);

    public abstract float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight);

    public abstract double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight);

    public abstract void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight);

    public abstract void CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, double labelSmoothing, int ignoreIndex, ReadOnlySpan<double> weight);

    public abstract float CrossEntropyWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight);

    public abstract double CrossEntropyWithGradient(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> gradient, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight);

    public abstract float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight);

    public abstract double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight);

    public abstract void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, Span<float> losses, float labelSmoothing, ReadOnlySpan<float> weight);

    public abstract void CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> losses, double labelSmoothing, ReadOnlySpan<double> weight);

    public abstract float CrossEntropyWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, Span<float> gradient, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight);

    public abstract double CrossEntropyWithGradient(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> gradient, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight);
}

/// <summary>A <see cref="KernelSet"/> over a generated row kernel: the same runner calls the generated class makes.</summary>
internal sealed class KernelSet<TKernel>(int classes, string typeName) : KernelSet(classes, typeName)
    where TKernel : ILsrRowKernel<float>, ILsrRowKernel<double>
{
    public override void LogSoftmax(ReadOnlySpan<float> logits, Span<float> destination)
        => LsrKernelRunner<float, TKernel>.LogSoftmax(logits, Classes, destination);

    public override void LogSoftmax(ReadOnlySpan<double> logits, Span<double> destination)
        => LsrKernelRunner<double, TKernel>.LogSoftmax(logits, Classes, destination);

    public override void Softmax(ReadOnlySpan<float> logits, Span<float> destination)
        => LsrKernelRunner<float, TKernel>.Softmax(logits, Classes, destination);

    public override void Softmax(ReadOnlySpan<double> logits, Span<double> destination)
        => LsrKernelRunner<double, TKernel>.Softmax(logits, Classes, destination);

    public override float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernelRunner<float, TKernel>.CrossEntropy(logits, Classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public override double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernelRunner<double, TKernel>.CrossEntropy(logits, Classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public override void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernelRunner<float, TKernel>.CrossEntropy(logits, Classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    public override void CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, double labelSmoothing, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernelRunner<double, TKernel>.CrossEntropy(logits, Classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    public override float CrossEntropyWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => LsrKernelRunner<float, TKernel>.CrossEntropyWithGradient(logits, Classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public override double CrossEntropyWithGradient(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> gradient, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => LsrKernelRunner<double, TKernel>.CrossEntropyWithGradient(logits, Classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public override float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => LsrKernelRunner<float, TKernel>.CrossEntropy(logits, Classes, targetProbabilities, labelSmoothing, reduction, weight);

    public override double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => LsrKernelRunner<double, TKernel>.CrossEntropy(logits, Classes, targetProbabilities, labelSmoothing, reduction, weight);

    public override void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, Span<float> losses, float labelSmoothing, ReadOnlySpan<float> weight)
        => LsrKernelRunner<float, TKernel>.CrossEntropy(logits, Classes, targetProbabilities, losses, labelSmoothing, weight);

    public override void CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> losses, double labelSmoothing, ReadOnlySpan<double> weight)
        => LsrKernelRunner<double, TKernel>.CrossEntropy(logits, Classes, targetProbabilities, losses, labelSmoothing, weight);

    public override float CrossEntropyWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, Span<float> gradient, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => LsrKernelRunner<float, TKernel>.CrossEntropyWithGradient(logits, Classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    public override double CrossEntropyWithGradient(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> gradient, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => LsrKernelRunner<double, TKernel>.CrossEntropyWithGradient(logits, Classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);
}

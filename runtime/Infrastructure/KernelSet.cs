using System;
using System.Runtime.CompilerServices;
using LsrGen.Routing;

namespace LsrGen.Infrastructure;

/// <summary>
/// Every K-specific operation of one generated kernel, called by <see cref="LsrKernels"/> when it routes. Calls go
/// through function pointers to the very runner methods the generated class calls, so results are bit-identical;
/// not through virtual methods, because tiered PGO then compiled the routed kernels measurably slower than direct
/// calls (1.5-2x at K = 3 and 10) while with PGO off both ran alike.
/// </summary>
internal sealed unsafe class KernelSet
{
    private delegate*<ReadOnlySpan<float>, int, Span<float>, void> _logSoftmaxFloat;
    private delegate*<ReadOnlySpan<double>, int, Span<double>, void> _logSoftmaxDouble;
    private delegate*<ReadOnlySpan<float>, int, Span<float>, void> _softmaxFloat;
    private delegate*<ReadOnlySpan<double>, int, Span<double>, void> _softmaxDouble;
    private delegate*<ReadOnlySpan<float>, int, ReadOnlySpan<int>, float, Reduction, int, ReadOnlySpan<float>, float> _hardReducedFloat;
    private delegate*<ReadOnlySpan<double>, int, ReadOnlySpan<int>, double, Reduction, int, ReadOnlySpan<double>, double> _hardReducedDouble;
    private delegate*<ReadOnlySpan<float>, int, ReadOnlySpan<int>, Span<float>, float, int, ReadOnlySpan<float>, void> _hardPerRowFloat;
    private delegate*<ReadOnlySpan<double>, int, ReadOnlySpan<int>, Span<double>, double, int, ReadOnlySpan<double>, void> _hardPerRowDouble;
    private delegate*<ReadOnlySpan<float>, int, ReadOnlySpan<int>, Span<float>, float, Reduction, int, ReadOnlySpan<float>, float> _hardGradientFloat;
    private delegate*<ReadOnlySpan<double>, int, ReadOnlySpan<int>, Span<double>, double, Reduction, int, ReadOnlySpan<double>, double> _hardGradientDouble;
    private delegate*<ReadOnlySpan<float>, int, ReadOnlySpan<float>, float, Reduction, ReadOnlySpan<float>, float> _softReducedFloat;
    private delegate*<ReadOnlySpan<double>, int, ReadOnlySpan<double>, double, Reduction, ReadOnlySpan<double>, double> _softReducedDouble;
    private delegate*<ReadOnlySpan<float>, int, ReadOnlySpan<float>, Span<float>, float, ReadOnlySpan<float>, void> _softPerRowFloat;
    private delegate*<ReadOnlySpan<double>, int, ReadOnlySpan<double>, Span<double>, double, ReadOnlySpan<double>, void> _softPerRowDouble;
    private delegate*<ReadOnlySpan<float>, int, ReadOnlySpan<float>, Span<float>, float, Reduction, ReadOnlySpan<float>, float> _softGradientFloat;
    private delegate*<ReadOnlySpan<double>, int, ReadOnlySpan<double>, Span<double>, double, Reduction, ReadOnlySpan<double>, double> _softGradientDouble;
    private delegate*<RowOperation, in RowArgs<float>, int, double> _runFloat;
    private delegate*<RowOperation, in RowArgs<double>, int, double> _runDouble;

    private KernelSet(int classes, string typeName)
    {
        Classes = classes;
        TypeName = typeName;
    }

    public int Classes { get; }

    public string TypeName { get; }

    public static KernelSet Create<TKernel>(int classes, string typeName)
        where TKernel : ILsrRowKernel<float>, ILsrRowKernel<double>
        => new(classes, typeName)
        {
            _logSoftmaxFloat = &LsrKernelRunner<float, TKernel>.LogSoftmax,
            _logSoftmaxDouble = &LsrKernelRunner<double, TKernel>.LogSoftmax,
            _softmaxFloat = &LsrKernelRunner<float, TKernel>.Softmax,
            _softmaxDouble = &LsrKernelRunner<double, TKernel>.Softmax,
            _hardReducedFloat = &LsrKernelRunner<float, TKernel>.CrossEntropy,
            _hardReducedDouble = &LsrKernelRunner<double, TKernel>.CrossEntropy,
            _hardPerRowFloat = &LsrKernelRunner<float, TKernel>.CrossEntropy,
            _hardPerRowDouble = &LsrKernelRunner<double, TKernel>.CrossEntropy,
            _hardGradientFloat = &LsrKernelRunner<float, TKernel>.CrossEntropyWithGradient,
            _hardGradientDouble = &LsrKernelRunner<double, TKernel>.CrossEntropyWithGradient,
            _softReducedFloat = &LsrKernelRunner<float, TKernel>.CrossEntropy,
            _softReducedDouble = &LsrKernelRunner<double, TKernel>.CrossEntropy,
            _softPerRowFloat = &LsrKernelRunner<float, TKernel>.CrossEntropy,
            _softPerRowDouble = &LsrKernelRunner<double, TKernel>.CrossEntropy,
            _softGradientFloat = &LsrKernelRunner<float, TKernel>.CrossEntropyWithGradient,
            _softGradientDouble = &LsrKernelRunner<double, TKernel>.CrossEntropyWithGradient,
            _runFloat = &RowDriver.Run<float, TKernel>,
            _runDouble = &RowDriver.Run<double, TKernel>,
        };

    /// <summary>Runs one row operation on validated arguments (the path of <see cref="CrossEntropyLoss{T}"/>).</summary>
    public double Run<T>(RowOperation operation, in RowArgs<T> args, int rows)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? _runFloat(operation, in Unsafe.As<RowArgs<T>, RowArgs<float>>(ref Unsafe.AsRef(in args)), rows)
            : _runDouble(operation, in Unsafe.As<RowArgs<T>, RowArgs<double>>(ref Unsafe.AsRef(in args)), rows);

    public void LogSoftmax(ReadOnlySpan<float> logits, Span<float> destination)
        => _logSoftmaxFloat(logits, Classes, destination);

    public void LogSoftmax(ReadOnlySpan<double> logits, Span<double> destination)
        => _logSoftmaxDouble(logits, Classes, destination);

    public void Softmax(ReadOnlySpan<float> logits, Span<float> destination)
        => _softmaxFloat(logits, Classes, destination);

    public void Softmax(ReadOnlySpan<double> logits, Span<double> destination)
        => _softmaxDouble(logits, Classes, destination);

    public float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => _hardReducedFloat(logits, Classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => _hardReducedDouble(logits, Classes, targets, labelSmoothing, reduction, ignoreIndex, weight);

    public void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight)
        => _hardPerRowFloat(logits, Classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    public void CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> losses, double labelSmoothing, int ignoreIndex, ReadOnlySpan<double> weight)
        => _hardPerRowDouble(logits, Classes, targets, losses, labelSmoothing, ignoreIndex, weight);

    public float CrossEntropyWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, Span<float> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
        => _hardGradientFloat(logits, Classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public double CrossEntropyWithGradient(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, Span<double> gradient, double labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<double> weight)
        => _hardGradientDouble(logits, Classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);

    public float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => _softReducedFloat(logits, Classes, targetProbabilities, labelSmoothing, reduction, weight);

    public double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => _softReducedDouble(logits, Classes, targetProbabilities, labelSmoothing, reduction, weight);

    public void CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, Span<float> losses, float labelSmoothing, ReadOnlySpan<float> weight)
        => _softPerRowFloat(logits, Classes, targetProbabilities, losses, labelSmoothing, weight);

    public void CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> losses, double labelSmoothing, ReadOnlySpan<double> weight)
        => _softPerRowDouble(logits, Classes, targetProbabilities, losses, labelSmoothing, weight);

    public float CrossEntropyWithGradient(ReadOnlySpan<float> logits, ReadOnlySpan<float> targetProbabilities, Span<float> gradient, float labelSmoothing, Reduction reduction, ReadOnlySpan<float> weight)
        => _softGradientFloat(logits, Classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);

    public double CrossEntropyWithGradient(ReadOnlySpan<double> logits, ReadOnlySpan<double> targetProbabilities, Span<double> gradient, double labelSmoothing, Reduction reduction, ReadOnlySpan<double> weight)
        => _softGradientDouble(logits, Classes, targetProbabilities, gradient, labelSmoothing, reduction, weight);
}

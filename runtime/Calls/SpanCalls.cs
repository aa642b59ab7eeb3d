using System;
using System.Numerics;

namespace LsrGen.Calls;

/// <summary>
/// The one call path of the span members: validates a call, pins its memory, packs it into <see cref="RowArgs{T}"/>
/// and hands it to <typeparamref name="TRunner"/>, which routes it by K (<see cref="LsrKernels"/>) or runs one kernel
/// (a generated class, through <see cref="LsrKernelRunner{T, TKernel}"/>), so every entry validates, reduces and
/// parallelises identically.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TRunner">Where the packed rows go.</typeparam>
internal static class SpanCalls<T, TRunner>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TRunner : IRowRunner<T>
{
    /// <inheritdoc cref="LsrKernels.LogSoftmax(ReadOnlySpan{float}, int, Span{float})"/>
    public static void LogSoftmax(ReadOnlySpan<T> logits, int classes, Span<T> destination)
        => Probabilities(RowOperation.LogSoftmax, logits, classes, destination);

    /// <inheritdoc cref="LsrKernels.Softmax(ReadOnlySpan{float}, int, Span{float})"/>
    public static void Softmax(ReadOnlySpan<T> logits, int classes, Span<T> destination)
        => Probabilities(RowOperation.Softmax, logits, classes, destination);

    /// <inheritdoc cref="LsrKernels.LogSoftmaxBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void LogSoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
        => Backward(RowOperation.LogSoftmaxBackward, output, outputGradient, classes, inputGradient);

    /// <inheritdoc cref="LsrKernels.SoftmaxBackward(ReadOnlySpan{float}, ReadOnlySpan{float}, int, Span{float})"/>
    public static void SoftmaxBackward(ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
        => Backward(RowOperation.SoftmaxBackward, output, outputGradient, classes, inputGradient);

    /// <inheritdoc cref="LsrKernels.ArgMax(ReadOnlySpan{float}, int, Span{int})"/>
    public static void ArgMax(ReadOnlySpan<T> values, int classes, Span<int> destination)
    {
        int rows = Check.Rows(values.Length, classes, nameof(values));
        Check.Length(destination.Length, rows, nameof(destination), "row");
        Check.Disjoint(values, nameof(values), destination, nameof(destination));
        RowCall<T, TRunner>.Run(RowOperation.ArgMax, values, classes, default, default, default, default, default, default, default, new CallOptions<T>(), rows, destination);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropy<TX>(
        ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight,
        RowLayout layout = default)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, classes, targets, weight);
        Check.Reduction(reduction);
        T weightTotal = Check.Scalars(labelSmoothing, weight, classes);
        double targetWeight = spans.TargetValues(ignoreIndex);
        double total = RunClassIndex(RowOperation.ClassIndexForward, logits, classes, targets, default, default, labelSmoothing, ignoreIndex, weight, weightTotal, T.One, spans.Rows, layout);
        return Reduce.ClassIndex<T>(total, reduction, targetWeight);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    public static void CrossEntropy<TX>(
        ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight,
        RowLayout layout = default)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, classes, targets, weight);
        T weightTotal = Check.Scalars(labelSmoothing, weight, classes);
        spans.RowOutput(losses, nameof(losses));
        spans.TargetValues(ignoreIndex);
        RunClassIndex(RowOperation.ClassIndexForward, logits, classes, targets, default, losses, labelSmoothing, ignoreIndex, weight, weightTotal, T.One, spans.Rows, layout);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient<TX>(
        ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, Span<TX> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex,
        ReadOnlySpan<T> weight, RowLayout layout = default)
        where TX : unmanaged, IFloatingPointIeee754<TX>
    {
        var spans = LossSpans<TX, T>.ClassIndex(logits, classes, targets, weight);
        Check.Reduction(reduction);
        T weightTotal = Check.Scalars(labelSmoothing, weight, classes);
        spans.Gradient(gradient);
        double targetWeight = spans.TargetValues(ignoreIndex);
        T scale = Reduce.ClassIndexScale<T>(reduction, targetWeight);
        double total = RunClassIndex(RowOperation.ClassIndexGradient, logits, classes, targets, gradient, default, labelSmoothing, ignoreIndex, weight, weightTotal, scale, spans.Rows, layout);
        return Reduce.ClassIndex<T>(total, reduction, targetWeight);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static T CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, classes, targetProbabilities, weight);
        Check.Reduction(reduction);
        Check.Scalars(labelSmoothing, weight, classes);
        spans.TargetValues(0);
        double total = RunProbabilities(RowOperation.ProbabilityForward, logits, classes, targetProbabilities, default, labelSmoothing, weight, T.One, spans.Rows);
        return Reduce.Probabilities<T>(total, reduction, spans.Rows);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, ReadOnlySpan{float})"/>
    public static void CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, classes, targetProbabilities, weight);
        Check.Scalars(labelSmoothing, weight, classes);
        spans.RowOutput(losses, nameof(losses));
        spans.TargetValues(0);
        RunProbabilities(RowOperation.ProbabilityForward, logits, classes, targetProbabilities, losses, labelSmoothing, weight, T.One, spans.Rows);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        var spans = LossSpans<T, T>.Probabilities(logits, classes, targetProbabilities, weight);
        Check.Reduction(reduction);
        Check.Scalars(labelSmoothing, weight, classes);
        spans.Gradient(gradient);
        spans.TargetValues(0);
        T scale = Reduce.ProbabilityScale<T>(reduction, spans.Rows);
        double total = RunProbabilities(RowOperation.ProbabilityGradient, logits, classes, targetProbabilities, gradient, labelSmoothing, weight, scale, spans.Rows);
        return Reduce.Probabilities<T>(total, reduction, spans.Rows);
    }

    /// <summary>log_softmax or softmax of dense rows, of T or (with <paramref name="layout"/> saying so) Half.</summary>
    public static void Probabilities<TX>(RowOperation operation, ReadOnlySpan<TX> logits, int classes, Span<TX> destination, RowLayout layout = default)
        where TX : unmanaged
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(destination.Length, logits.Length, nameof(destination), "logit");
        Check.InPlaceOrDisjoint(logits, destination, nameof(destination));
        RowCall<T, TRunner>.Run(operation, logits, classes, default, default, destination, default, default, default, default, new CallOptions<T> { Layout = layout }, rows);
    }

    // The backward of log-softmax or softmax: the forward's output and its gradient in, the input gradient out.
    private static void Backward(RowOperation operation, ReadOnlySpan<T> output, ReadOnlySpan<T> outputGradient, int classes, Span<T> inputGradient)
    {
        int rows = Check.Rows(output.Length, classes, nameof(output));
        Check.Length(outputGradient.Length, output.Length, nameof(outputGradient), "element of output");
        Check.Length(inputGradient.Length, output.Length, nameof(inputGradient), "element of output");
        Check.InPlaceOrDisjoint(outputGradient, inputGradient, nameof(inputGradient), nameof(outputGradient));
        Check.Disjoint(output, nameof(output), inputGradient, nameof(inputGradient));
        RowCall<T, TRunner>.Run(operation, output, classes, default, outputGradient, inputGradient, default, default, default, default, new CallOptions<T>(), rows);
    }

    // A class-index pass: a gradient of the logits' type, or per-row losses of T.
    private static double RunClassIndex<TX>(
        RowOperation operation, ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, Span<TX> gradient, Span<T> losses,
        T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight, T weightTotal, T scale, int rows, RowLayout layout)
        where TX : unmanaged
        => RowCall<T, TRunner>.Run(
            operation, logits, classes, targets, default, gradient, losses, weight, default, default,
            new CallOptions<T> { LabelSmoothing = labelSmoothing, IgnoreIndex = ignoreIndex, WeightTotal = weightTotal, Scale = scale, Layout = layout }, rows);

    private static double RunProbabilities(
        RowOperation operation, ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> output,
        T labelSmoothing, ReadOnlySpan<T> weight, T scale, int rows)
        => RowCall<T, TRunner>.Run(
            operation, logits, classes, default, targetProbabilities, output, default, weight, default, default,
            new CallOptions<T> { LabelSmoothing = labelSmoothing, Scale = scale }, rows);
}

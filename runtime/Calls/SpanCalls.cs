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

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        (int rows, T weightTotal, double targetWeight) = ClassIndexChecks<T, T>.Reduced(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);
        double total = RunClassIndex(RowOperation.ClassIndexForward, logits, classes, targets, default, labelSmoothing, ignoreIndex, weight, weightTotal, T.One, rows);
        return Reduce.ClassIndex<T>(total, reduction, targetWeight);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    public static void CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        (int rows, T weightTotal) = ClassIndexChecks<T, T>.PerRow(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);
        RunClassIndex(RowOperation.ClassIndexForward, logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight, weightTotal, T.One, rows);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        (int rows, T weightTotal, double targetWeight) = ClassIndexChecks<T, T>.WithGradient(
            logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);
        T scale = Reduce.ClassIndexScale<T>(reduction, targetWeight);
        double total = RunClassIndex(RowOperation.ClassIndexGradient, logits, classes, targets, gradient, labelSmoothing, ignoreIndex, weight, weightTotal, scale, rows);
        return Reduce.ClassIndex<T>(total, reduction, targetWeight);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static T CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targetProbabilities.Length, logits.Length, nameof(targetProbabilities), "logit");
        Check.Reduction(reduction);
        Check.LabelSmoothing(labelSmoothing);
        Check.Weight(weight, classes);
        Check.Probabilities(targetProbabilities, classes);
        double total = RunProbabilities(RowOperation.ProbabilityForward, logits, classes, targetProbabilities, default, labelSmoothing, weight, T.One, rows);
        return Reduce.Probabilities<T>(total, reduction, rows);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, ReadOnlySpan{float})"/>
    public static void CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targetProbabilities.Length, logits.Length, nameof(targetProbabilities), "logit");
        Check.Length(losses.Length, rows, nameof(losses), "row");
        Check.LabelSmoothing(labelSmoothing);
        Check.Weight(weight, classes);
        Check.Disjoint(logits, losses, nameof(losses));
        Check.Disjoint(targetProbabilities, losses, nameof(losses));
        Check.Disjoint(weight, losses, nameof(losses));
        Check.Probabilities(targetProbabilities, classes);
        RunProbabilities(RowOperation.ProbabilityForward, logits, classes, targetProbabilities, losses, labelSmoothing, weight, T.One, rows);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Span{float}, float, Reduction, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targetProbabilities.Length, logits.Length, nameof(targetProbabilities), "logit");
        Check.Length(gradient.Length, logits.Length, nameof(gradient), "logit");
        Check.Reduction(reduction);
        Check.LabelSmoothing(labelSmoothing);
        Check.Weight(weight, classes);
        Check.InPlaceOrDisjoint(logits, gradient, nameof(gradient));
        Check.Disjoint(targetProbabilities, gradient, nameof(gradient));
        Check.Disjoint(weight, gradient, nameof(gradient));
        Check.Probabilities(targetProbabilities, classes);
        T scale = Reduce.ProbabilityScale<T>(reduction, rows);
        double total = RunProbabilities(RowOperation.ProbabilityGradient, logits, classes, targetProbabilities, gradient, labelSmoothing, weight, scale, rows);
        return Reduce.Probabilities<T>(total, reduction, rows);
    }

    private static void Probabilities(RowOperation operation, ReadOnlySpan<T> logits, int classes, Span<T> destination)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(destination.Length, logits.Length, nameof(destination), "logit");
        Check.InPlaceOrDisjoint(logits, destination, nameof(destination));
        RowCall<T, TRunner>.Run<T>(operation, logits, classes, default, default, destination, default, default, default, default, new CallOptions<T>(), rows);
    }

    private static double RunClassIndex(
        RowOperation operation, ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> output,
        T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight, T weightTotal, T scale, int rows)
        => RowCall<T, TRunner>.Run<T>(
            operation, logits, classes, targets, default, output, default, weight, default, default,
            new CallOptions<T> { LabelSmoothing = labelSmoothing, IgnoreIndex = ignoreIndex, WeightTotal = weightTotal, Scale = scale }, rows);

    private static double RunProbabilities(
        RowOperation operation, ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> output,
        T labelSmoothing, ReadOnlySpan<T> weight, T scale, int rows)
        => RowCall<T, TRunner>.Run(
            operation, logits, classes, default, targetProbabilities, output, default, weight, default, default,
            new CallOptions<T> { LabelSmoothing = labelSmoothing, Scale = scale }, rows);
}

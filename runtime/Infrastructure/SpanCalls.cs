using System;
using System.Numerics;
using LsrGen.Routing;

namespace LsrGen.Infrastructure;

/// <summary>
/// The one call path of the span members: validates a call, pins its memory, packs it into <see cref="RowArgs{T}"/>
/// and hands it to <typeparamref name="TRunner"/>, which routes it by K (<see cref="LsrKernels"/>) or runs one kernel
/// (a generated class, through <see cref="LsrKernelRunner{T, TKernel}"/>), so every entry validates, reduces and
/// parallelises identically.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TRunner">Where the packed rows go.</typeparam>
internal static unsafe class SpanCalls<T, TRunner>
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
        (int rows, T weightTotal, double targetWeight) = HardCallChecks<T, T>.Reduced(logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);
        double total = Hard(RowOperation.HardForward, logits, classes, targets, default, labelSmoothing, ignoreIndex, weight, weightTotal, T.One, rows);
        return Reduce.Hard<T>(total, reduction, targetWeight);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropy(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, int, ReadOnlySpan{float})"/>
    public static void CrossEntropy(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        (int rows, T weightTotal) = HardCallChecks<T, T>.PerRow(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);
        Hard(RowOperation.HardForward, logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight, weightTotal, T.One, rows);
    }

    /// <inheritdoc cref="LsrKernels.CrossEntropyWithGradient(ReadOnlySpan{float}, int, ReadOnlySpan{int}, Span{float}, float, Reduction, int, ReadOnlySpan{float})"/>
    public static T CrossEntropyWithGradient(
        ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        (int rows, T weightTotal, double targetWeight) = HardCallChecks<T, T>.WithGradient(
            logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);
        T scale = Reduce.HardScale<T>(reduction, targetWeight);
        double total = Hard(RowOperation.HardGradient, logits, classes, targets, gradient, labelSmoothing, ignoreIndex, weight, weightTotal, scale, rows);
        return Reduce.Hard<T>(total, reduction, targetWeight);
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
        double total = Soft(RowOperation.SoftForward, logits, classes, targetProbabilities, default, labelSmoothing, weight, T.One, rows);
        return Reduce.Soft<T>(total, reduction, rows);
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
        Soft(RowOperation.SoftForward, logits, classes, targetProbabilities, losses, labelSmoothing, weight, T.One, rows);
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
        T scale = Reduce.SoftScale<T>(reduction, rows);
        double total = Soft(RowOperation.SoftGradient, logits, classes, targetProbabilities, gradient, labelSmoothing, weight, scale, rows);
        return Reduce.Soft<T>(total, reduction, rows);
    }

    private static void Probabilities(RowOperation operation, ReadOnlySpan<T> logits, int classes, Span<T> destination)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(destination.Length, logits.Length, nameof(destination), "logit");
        Check.InPlaceOrDisjoint(logits, destination, nameof(destination));
        if (rows == 0)
        {
            return;
        }

        fixed (T* x = logits)
        fixed (T* d = destination)
        {
            var args = new RowArgs<T>(x, classes, d, null, null, null, T.Zero, 0, T.Zero, T.One);
            TRunner.Run(operation, args, rows);
        }
    }

    private static double Hard(
        RowOperation operation, ReadOnlySpan<T> logits, int classes, ReadOnlySpan<int> targets, Span<T> output,
        T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight, T weightTotal, T scale, int rows)
    {
        if (rows == 0)
        {
            return 0;
        }

        fixed (T* x = logits)
        fixed (int* t = targets)
        fixed (T* o = output)
        fixed (T* w = weight)
        {
            var args = new RowArgs<T>(x, classes, o, t, null, w, labelSmoothing, ignoreIndex, weightTotal, scale);
            return TRunner.Run(operation, args, rows);
        }
    }

    private static double Soft(
        RowOperation operation, ReadOnlySpan<T> logits, int classes, ReadOnlySpan<T> targetProbabilities, Span<T> output,
        T labelSmoothing, ReadOnlySpan<T> weight, T scale, int rows)
    {
        if (rows == 0)
        {
            return 0;
        }

        fixed (T* x = logits)
        fixed (T* q = targetProbabilities)
        fixed (T* o = output)
        fixed (T* w = weight)
        {
            var args = new RowArgs<T>(x, classes, o, null, q, w, labelSmoothing, 0, T.Zero, scale);
            return TRunner.Run(operation, args, rows);
        }
    }
}

using System;
using LsrGen.Routing;

namespace LsrGen.Infrastructure;

/// <summary>
/// The Half-logit overloads of <see cref="LsrKernels"/>: the float overloads' validation, then the float kernels (a
/// generated one when K is registered) on rows that <see cref="RowStaging"/> widens to float per chunk; a matrix
/// result is rounded to Half once, losses stay float.
/// </summary>
internal static unsafe class HalfRunner
{
    public static void Probabilities(RowOperation operation, ReadOnlySpan<Half> logits, int classes, Span<Half> destination)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(destination.Length, logits.Length, nameof(destination), "logit");
        Check.InPlaceOrDisjoint(logits, destination, nameof(destination));
        Execute(operation, logits, classes, default, destination, null, default, 0, 0, 0, 1, rows);
    }

    public static float CrossEntropy(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
    {
        (int rows, float weightTotal, double targetWeight) = HardCallChecks<Half, float>.Reduced(
            logits, classes, targets, labelSmoothing, reduction, ignoreIndex, weight);
        double total = Execute(RowOperation.HardForward, logits, classes, targets, default, null, weight, labelSmoothing, ignoreIndex, weightTotal, 1, rows);
        return Reduce.Hard<float>(total, reduction, targetWeight);
    }

    public static void CrossEntropy(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight)
    {
        (int rows, float weightTotal) = HardCallChecks<Half, float>.PerRow(logits, classes, targets, losses, labelSmoothing, ignoreIndex, weight);
        fixed (float* o = losses)
        {
            Execute(RowOperation.HardForward, logits, classes, targets, default, o, weight, labelSmoothing, ignoreIndex, weightTotal, 1, rows);
        }
    }

    public static float CrossEntropyWithGradient(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<Half> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
    {
        (int rows, float weightTotal, double targetWeight) = HardCallChecks<Half, float>.WithGradient(
            logits, classes, targets, gradient, labelSmoothing, reduction, ignoreIndex, weight);
        float scale = Reduce.HardScale<float>(reduction, targetWeight);
        double total = Execute(RowOperation.HardGradient, logits, classes, targets, gradient, null, weight, labelSmoothing, ignoreIndex, weightTotal, scale, rows);
        return Reduce.Hard<float>(total, reduction, targetWeight);
    }

    /// <summary>Pins the call's memory and runs the float kernels on Half rows; <paramref name="rowOutput"/> is a per-row output when given.</summary>
    private static double Execute(
        RowOperation operation, ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<Half> matrixOutput, float* rowOutput,
        ReadOnlySpan<float> weight, float labelSmoothing, int ignoreIndex, float weightTotal, float scale, int rows)
    {
        if (rows == 0)
        {
            return 0;
        }

        fixed (Half* x = logits)
        fixed (int* t = targets)
        fixed (Half* o = matrixOutput)
        fixed (float* w = weight)
        {
            var args = new RowArgs<float>(
                (float*)x, classes, rowOutput != null ? rowOutput : (float*)o, t, null, w, labelSmoothing, ignoreIndex, weightTotal, scale)
            {
                Layout = new RowLayout(0, 0, 0, Half: true),
            };
            return Routed.Run(operation, args, rows);
        }
    }
}

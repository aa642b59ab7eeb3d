using System;

namespace LsrGen.Calls;

/// <summary>
/// The Half-logit overloads of <see cref="LsrKernels"/>: the float overloads' validation, then the float kernels (a
/// generated one when K is registered) on rows that <see cref="RowStaging"/> widens to float per chunk; a matrix
/// result is rounded to Half once, losses stay float.
/// </summary>
internal static class HalfRunner
{
    public static void Probabilities(RowOperation operation, ReadOnlySpan<Half> logits, int classes, Span<Half> destination)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(destination.Length, logits.Length, nameof(destination), "logit");
        Check.InPlaceOrDisjoint(logits, destination, nameof(destination));
        Execute(operation, logits, classes, default, destination, default, default, 0, 0, 0, 1, rows);
    }

    public static float CrossEntropy(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
    {
        var spans = LossSpans<Half, float>.ClassIndex(logits, classes, targets, weight);
        Check.Reduction(reduction);
        float weightTotal = Check.Scalars(labelSmoothing, weight, classes);
        double targetWeight = spans.TargetValues(ignoreIndex);
        double total = Execute(RowOperation.ClassIndexForward, logits, classes, targets, default, default, weight, labelSmoothing, ignoreIndex, weightTotal, 1, spans.Rows);
        return Reduce.ClassIndex<float>(total, reduction, targetWeight);
    }

    public static void CrossEntropy(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<float> losses, float labelSmoothing, int ignoreIndex, ReadOnlySpan<float> weight)
    {
        var spans = LossSpans<Half, float>.ClassIndex(logits, classes, targets, weight);
        float weightTotal = Check.Scalars(labelSmoothing, weight, classes);
        spans.RowOutput(losses, nameof(losses));
        spans.TargetValues(ignoreIndex);
        Execute(RowOperation.ClassIndexForward, logits, classes, targets, default, losses, weight, labelSmoothing, ignoreIndex, weightTotal, 1, spans.Rows);
    }

    public static float CrossEntropyWithGradient(
        ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<Half> gradient, float labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<float> weight)
    {
        var spans = LossSpans<Half, float>.ClassIndex(logits, classes, targets, weight);
        Check.Reduction(reduction);
        float weightTotal = Check.Scalars(labelSmoothing, weight, classes);
        spans.Gradient(gradient);
        double targetWeight = spans.TargetValues(ignoreIndex);
        float scale = Reduce.ClassIndexScale<float>(reduction, targetWeight);
        double total = Execute(RowOperation.ClassIndexGradient, logits, classes, targets, gradient, default, weight, labelSmoothing, ignoreIndex, weightTotal, scale, spans.Rows);
        return Reduce.ClassIndex<float>(total, reduction, targetWeight);
    }

    /// <summary>Runs the float kernels on Half rows; <paramref name="rowOutput"/> is a per-row output when given.</summary>
    private static double Execute(
        RowOperation operation, ReadOnlySpan<Half> logits, int classes, ReadOnlySpan<int> targets, Span<Half> matrixOutput, Span<float> rowOutput,
        ReadOnlySpan<float> weight, float labelSmoothing, int ignoreIndex, float weightTotal, float scale, int rows)
        => RowCall<float, RoutedRunner<float>>.Run(
            operation, logits, classes, targets, default, matrixOutput, rowOutput, weight, default, default,
            new CallOptions<float>
            {
                LabelSmoothing = labelSmoothing, IgnoreIndex = ignoreIndex, WeightTotal = weightTotal, Scale = scale, Layout = new RowLayout(0, 0, 0, Half: true),
            },
            rows);
}

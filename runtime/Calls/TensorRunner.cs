using System;
using System.Numerics;
using System.Numerics.Tensors;

namespace LsrGen.Calls;

/// <summary>
/// The tensor-span overloads of <see cref="LsrKernels"/>: the span overloads' validation on [N, K] tensor spans with
/// any row stride, then the same kernels (a generated one when K is registered) through <see cref="RowDriver"/>, which
/// stages strided rows. Dense rows run exactly the span path.
/// </summary>
internal static unsafe class TensorRunner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static void Probabilities(RowOperation operation, in ReadOnlyTensorSpan<T> logits, in TensorSpan<T> destination)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var d = MatrixView<T>.Of(destination, nameof(destination));
        d.RequireShapeOf(x, nameof(destination), nameof(logits));
        d.RequireDistinctElements(nameof(destination));
        d.RequireInPlaceOrDisjoint(x, nameof(destination));
        Execute(operation, x, default, d, default, default, T.Zero, 0, T.Zero, T.One);
    }

    public static void Backward(RowOperation operation, in ReadOnlyTensorSpan<T> output, in ReadOnlyTensorSpan<T> outputGradient, in TensorSpan<T> inputGradient)
    {
        var y = MatrixView<T>.Of(output, nameof(output));
        var gy = MatrixView<T>.Of(outputGradient, nameof(outputGradient));
        var gx = MatrixView<T>.Of(inputGradient, nameof(inputGradient));
        gy.RequireShapeOf(y, nameof(outputGradient), nameof(output));
        gx.RequireShapeOf(y, nameof(inputGradient), nameof(output));
        gx.RequireDistinctElements(nameof(inputGradient));
        gx.RequireInPlaceOrDisjoint(gy, nameof(inputGradient), nameof(outputGradient));
        Check.Disjoint<T, T>(y.Region, nameof(output), gx.Region, nameof(inputGradient));
        Execute(operation, y, default, gx, gy, default, T.Zero, 0, T.Zero, T.One);
    }

    public static void ArgMax(in ReadOnlyTensorSpan<T> values, Span<int> destination)
    {
        var x = MatrixView<T>.Of(values, nameof(values));
        Check.Length(destination.Length, x.Rows, nameof(destination), "row");
        Check.Disjoint<T, int>(x.Region, nameof(values), destination, nameof(destination));
        Execute(RowOperation.ArgMax, x, default, default, default, default, T.Zero, 0, T.Zero, T.One, predictions: destination);
    }

    public static T CrossEntropy(
        in ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var spans = LossSpans<T, T>.ClassIndex(x, targets, weight);
        Check.Reduction(reduction);
        T weightTotal = Check.Scalars(labelSmoothing, weight, x.Classes);
        double targetWeight = spans.TargetValues(ignoreIndex);
        double total = Execute(RowOperation.ClassIndexForward, x, targets, default, default, weight, labelSmoothing, ignoreIndex, weightTotal, T.One);
        return Reduce.ClassIndex<T>(total, reduction, targetWeight);
    }

    public static void CrossEntropy(
        in ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, T labelSmoothing, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var spans = LossSpans<T, T>.ClassIndex(x, targets, weight);
        T weightTotal = Check.Scalars(labelSmoothing, weight, x.Classes);
        spans.RowOutput(losses, nameof(losses));
        spans.TargetValues(ignoreIndex);
        Execute(RowOperation.ClassIndexForward, x, targets, default, default, weight, labelSmoothing, ignoreIndex, weightTotal, T.One, losses);
    }

    public static T CrossEntropyWithGradient(
        in ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, in TensorSpan<T> gradient, T labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<T> weight)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        var spans = LossSpans<T, T>.ClassIndex(x, targets, weight);
        Check.Reduction(reduction);
        T weightTotal = Check.Scalars(labelSmoothing, weight, x.Classes);
        spans.Gradient(g, x);
        double targetWeight = spans.TargetValues(ignoreIndex);
        T scale = Reduce.ClassIndexScale<T>(reduction, targetWeight);
        double total = Execute(RowOperation.ClassIndexGradient, x, targets, g, default, weight, labelSmoothing, ignoreIndex, weightTotal, scale);
        return Reduce.ClassIndex<T>(total, reduction, targetWeight);
    }

    public static T CrossEntropy(
        in ReadOnlyTensorSpan<T> logits, in ReadOnlyTensorSpan<T> targetProbabilities, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var spans = LossSpans<T, T>.Probabilities(x, q, weight);
        Check.Reduction(reduction);
        Check.Scalars(labelSmoothing, weight, x.Classes);
        spans.TargetValues(0);
        double total = Execute(RowOperation.ProbabilityForward, x, default, default, q, weight, labelSmoothing, 0, T.Zero, T.One);
        return Reduce.Probabilities<T>(total, reduction, x.Rows);
    }

    public static void CrossEntropy(
        in ReadOnlyTensorSpan<T> logits, in ReadOnlyTensorSpan<T> targetProbabilities, Span<T> losses, T labelSmoothing, ReadOnlySpan<T> weight)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var spans = LossSpans<T, T>.Probabilities(x, q, weight);
        Check.Scalars(labelSmoothing, weight, x.Classes);
        spans.RowOutput(losses, nameof(losses));
        spans.TargetValues(0);
        Execute(RowOperation.ProbabilityForward, x, default, default, q, weight, labelSmoothing, 0, T.Zero, T.One, losses);
    }

    public static T CrossEntropyWithGradient(
        in ReadOnlyTensorSpan<T> logits, in ReadOnlyTensorSpan<T> targetProbabilities, in TensorSpan<T> gradient, T labelSmoothing, Reduction reduction, ReadOnlySpan<T> weight)
    {
        var x = MatrixView<T>.Of(logits, nameof(logits));
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        var spans = LossSpans<T, T>.Probabilities(x, q, weight);
        Check.Reduction(reduction);
        Check.Scalars(labelSmoothing, weight, x.Classes);
        spans.Gradient(g, x);
        spans.TargetValues(0);
        T scale = Reduce.ProbabilityScale<T>(reduction, x.Rows);
        double total = Execute(RowOperation.ProbabilityGradient, x, default, g, q, weight, labelSmoothing, 0, T.Zero, scale);
        return Reduce.Probabilities<T>(total, reduction, x.Rows);
    }

    /// <summary>
    /// Runs the operation over the views' rows; <paramref name="rowOutput"/> is a per-row output (losses) and
    /// <paramref name="predictions"/> ArgMax's, when given. A softmax backward's output gradient takes the probabilities' place.
    /// </summary>
    private static double Execute(
        RowOperation operation, in MatrixView<T> logits, ReadOnlySpan<int> targets, in MatrixView<T> output, in MatrixView<T> probabilities,
        ReadOnlySpan<T> weight, T labelSmoothing, int ignoreIndex, T weightTotal, T scale, Span<T> rowOutput = default, Span<int> predictions = default)
    {
        TensorLayouts tensors = default;
        return RowCall<T, RoutedRunner<T>>.Run<T>(
            operation, logits.Region, logits.Classes, targets, probabilities.Region, output.Region, rowOutput, weight, default, default,
            new CallOptions<T>
            {
                LabelSmoothing = labelSmoothing, IgnoreIndex = ignoreIndex, WeightTotal = weightTotal, Scale = scale,
                Layout = RowLayout.Of(logits, output, probabilities, &tensors),
            },
            logits.Rows,
            predictions);
    }
}

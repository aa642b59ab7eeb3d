using System;
using System.Numerics.Tensors;

namespace LsrGen;

/// <content>
/// The eight passes on [N, K] tensor spans: K is the last length and must be <see cref="Classes"/>, the last stride 1,
/// the row stride anything from K up (a padded vocabulary; padding is never read or written). Results are
/// bit-identical to the span overloads on a dense copy.
/// </content>
public sealed partial class CrossEntropyLoss<T>
{
    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{int})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    public unsafe T Forward(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        double denominator = LossSpans<T, T>.ClassIndex(x, targets, _weight).TargetValues(IgnoreIndex);
        double total = RunClassIndex(RowOperation.ClassIndexForward, x.Region, targets, default, default, default, default, T.One, x.Rows, Layout(x, default, default, &tensors));
        return Reduce(total, denominator);
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, Span{T}, Span{int})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    public unsafe void Forward(
        ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp = default, Span<T> entropy = default,
        Span<int> predictions = default)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        var spans = LossSpans<T, T>.ClassIndex(x, targets, _weight);
        spans.Outputs(outputs);
        spans.TargetValues(IgnoreIndex);
        RunClassIndex(RowOperation.ClassIndexForward, x.Region, targets, default, outputs, default, default, T.One, x.Rows, Layout(x, default, default, &tensors));
    }

    /// <inheritdoc cref="ForwardBackward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T}, Span{T}, Span{T}, Span{int})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    public unsafe T ForwardBackward(
        ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, TensorSpan<T> gradient, Span<T> losses = default, Span<T> logSumExp = default,
        Span<T> entropy = default, Span<int> predictions = default)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        var spans = LossSpans<T, T>.ClassIndex(x, targets, _weight);
        spans.Gradient(g, x);
        spans.Outputs(outputs, g.Region);
        double denominator = spans.TargetValues(IgnoreIndex);
        T scale = LossMath.Reduce.ClassIndexScale<T>(Reduction, denominator);
        double total = RunClassIndex(RowOperation.ClassIndexGradient, x.Region, targets, g.Region, outputs, default, default, scale, x.Rows, Layout(x, g, default, &tensors));
        return Reduce(total, denominator);
    }

    /// <inheritdoc cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, ReadOnlySpan{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits, as given to <c>Forward</c>; rows may be padded.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="entropyGradients">N values dL/dH, or empty for none.</param>
    public unsafe void Backward(
        ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, TensorSpan<T> gradient,
        ReadOnlySpan<T> entropyGradients = default)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        var spans = LossSpans<T, T>.ClassIndex(x, targets, _weight);
        spans.BackwardInputs(logSumExp, lossGradients);
        spans.EntropyGradients(entropyGradients);
        spans.Gradient(g, x, logSumExp, lossGradients, entropyGradients);
        spans.TargetValues(IgnoreIndex);
        RunClassIndex(
            RowOperation.ClassIndexBackward, x.Region, targets, g.Region, default, logSumExp, lossGradients, T.One, x.Rows, Layout(x, g, default, &tensors),
            entropyGradients);
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    public unsafe T Forward(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        LossSpans<T, T>.Probabilities(x, q, default).TargetValues(0);
        double total = RunProbabilities(RowOperation.ProbabilityForward, x.Region, q.Region, default, default, default, default, T.One, x.Rows, Layout(x, default, q, &tensors));
        return ReduceProbabilities(total, x.Rows);
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T}, Span{T}, Span{int})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    public unsafe void Forward(
        ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, Span<T> losses, Span<T> logSumExp = default,
        Span<T> entropy = default, Span<int> predictions = default)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        var spans = LossSpans<T, T>.Probabilities(x, q, default);
        spans.Outputs(outputs);
        spans.TargetValues(0);
        RunProbabilities(RowOperation.ProbabilityForward, x.Region, q.Region, default, outputs, default, default, T.One, x.Rows, Layout(x, default, q, &tensors));
    }

    /// <inheritdoc cref="ForwardBackward(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T}, Span{T}, Span{T}, Span{int})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="losses">N losses, or empty.</param>
    /// <param name="logSumExp">N log-sum-exp values, or empty.</param>
    /// <param name="entropy">N entropies, or empty.</param>
    /// <param name="predictions">N class indices, or empty.</param>
    public unsafe T ForwardBackward(
        ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, TensorSpan<T> gradient, Span<T> losses = default,
        Span<T> logSumExp = default, Span<T> entropy = default, Span<int> predictions = default)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        var outputs = new RowOutputs<T>(losses, logSumExp, entropy, predictions);
        var spans = LossSpans<T, T>.Probabilities(x, q, default);
        spans.Gradient(g, x);
        spans.Outputs(outputs, g.Region);
        spans.TargetValues(0);
        T scale = LossMath.Reduce.ProbabilityScale<T>(Reduction, x.Rows);
        double total = RunProbabilities(RowOperation.ProbabilityGradient, x.Region, q.Region, g.Region, outputs, default, default, scale, x.Rows, Layout(x, g, q, &tensors));
        return ReduceProbabilities(total, x.Rows);
    }

    /// <inheritdoc cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, ReadOnlySpan{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits, as given to <c>Forward</c>; rows may be padded.</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    /// <param name="entropyGradients">N values dL/dH, or empty for none.</param>
    public unsafe void Backward(
        ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients,
        TensorSpan<T> gradient, ReadOnlySpan<T> entropyGradients = default)
    {
        var x = Matrix(logits, nameof(logits));
        TensorLayouts tensors = default;
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        var spans = LossSpans<T, T>.Probabilities(x, q, default);
        spans.BackwardInputs(logSumExp, lossGradients);
        spans.EntropyGradients(entropyGradients);
        spans.Gradient(g, x, logSumExp, lossGradients, entropyGradients);
        spans.TargetValues(0);
        RunProbabilities(
            RowOperation.ProbabilityBackward, x.Region, q.Region, g.Region, default, logSumExp, lossGradients, T.One, x.Rows, Layout(x, g, q, &tensors),
            entropyGradients);
    }

    private static unsafe RowLayout Layout(in MatrixView<T> logits, in MatrixView<T> output, in MatrixView<T> probabilities, TensorLayouts* tensors)
        => RowLayout.Of(logits, output, probabilities, tensors);

    /// <summary>The logits as a matrix of this loss's K.</summary>
    private MatrixView<T> Matrix(in ReadOnlyTensorSpan<T> logits, string paramName)
    {
        var x = MatrixView<T>.Of(logits, paramName);
        if (x.Classes != Classes)
        {
            throw new ArgumentException($"{paramName} has K = {x.Classes} classes, but this loss has {Classes}.", paramName);
        }

        return x;
    }
}

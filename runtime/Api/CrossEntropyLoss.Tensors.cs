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
    public T Forward(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets)
    {
        var x = Matrix(logits, nameof(logits));
        Check.Length(targets.Length, x.Rows, nameof(targets), "row");
        double denominator = Check.Targets<T>(targets, Classes, IgnoreIndex, _weight);
        double total = RunClassIndex(RowOperation.ClassIndexForward, x.Region, targets, default, default, default, T.One, x.Rows, Layout(x, default, default));
        return Reduce(total, denominator);
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T}, Span{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="losses">N losses; must not overlap an input or <paramref name="logSumExp"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values, for <c>Backward</c>; must not overlap an input.</param>
    public void Forward(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, Span<T> losses, Span<T> logSumExp)
    {
        var x = Matrix(logits, nameof(logits));
        Check.Length(targets.Length, x.Rows, nameof(targets), "row");
        Check.Length(losses.Length, x.Rows, nameof(losses), "row");
        Check.Length(logSumExp.Length, x.Rows, nameof(logSumExp), "row");
        Check.Disjoint<T, T>(x.Region, losses, nameof(losses));
        Check.Disjoint(targets, losses, nameof(losses));
        Check.Disjoint<T, T>(x.Region, logSumExp, nameof(logSumExp));
        Check.Disjoint(targets, logSumExp, nameof(logSumExp));
        Check.Disjoint<T, T>(losses, logSumExp, nameof(logSumExp));
        Check.Targets<T>(targets, Classes, IgnoreIndex, _weight);
        RunClassIndex(RowOperation.ClassIndexForward, x.Region, targets, losses, logSumExp, default, T.One, x.Rows, Layout(x, default, default));
    }

    /// <inheritdoc cref="ForwardBackward(ReadOnlySpan{T}, ReadOnlySpan{int}, Span{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    public T ForwardBackward(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, TensorSpan<T> gradient)
    {
        var x = Matrix(logits, nameof(logits));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        Check.Length(targets.Length, x.Rows, nameof(targets), "row");
        g.RequireShapeOf(x, nameof(gradient), nameof(logits));
        g.RequireInPlaceOrDisjoint(x, nameof(gradient));
        Check.Disjoint(targets, g.Region, nameof(gradient));
        double denominator = Check.Targets<T>(targets, Classes, IgnoreIndex, _weight);
        T scale = LossMath.Reduce.ClassIndexScale<T>(Reduction, denominator);
        double total = RunClassIndex(RowOperation.ClassIndexGradient, x.Region, targets, g.Region, default, default, scale, x.Rows, Layout(x, g, default));
        return Reduce(total, denominator);
    }

    /// <inheritdoc cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits, as given to <c>Forward</c>; rows may be padded.</param>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    public void Backward(ReadOnlyTensorSpan<T> logits, ReadOnlySpan<int> targets, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, TensorSpan<T> gradient)
    {
        var x = Matrix(logits, nameof(logits));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        Check.Length(targets.Length, x.Rows, nameof(targets), "row");
        Check.Length(logSumExp.Length, x.Rows, nameof(logSumExp), "row");
        Check.Length(lossGradients.Length, x.Rows, nameof(lossGradients), "row");
        g.RequireShapeOf(x, nameof(gradient), nameof(logits));
        g.RequireInPlaceOrDisjoint(x, nameof(gradient));
        Check.Disjoint(targets, g.Region, nameof(gradient));
        Check.Disjoint(logSumExp, g.Region, nameof(gradient));
        Check.Disjoint(lossGradients, g.Region, nameof(gradient));
        Check.Targets<T>(targets, Classes, IgnoreIndex, _weight);
        RunClassIndex(RowOperation.ClassIndexBackward, x.Region, targets, g.Region, logSumExp, lossGradients, T.One, x.Rows, Layout(x, g, default));
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    public T Forward(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities)
    {
        var x = Matrix(logits, nameof(logits));
        var q = Probabilities(targetProbabilities, x);
        double total = RunProbabilities(RowOperation.ProbabilityForward, x.Region, q.Region, default, default, default, T.One, x.Rows, Layout(x, default, q));
        return ReduceProbabilities(total, x.Rows);
    }

    /// <inheritdoc cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, Span{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="losses">N losses; must not overlap an input or <paramref name="logSumExp"/>.</param>
    /// <param name="logSumExp">N log-sum-exp values, for <c>Backward</c>; must not overlap an input.</param>
    public void Forward(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, Span<T> losses, Span<T> logSumExp)
    {
        var x = Matrix(logits, nameof(logits));
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        q.RequireShapeOf(x, nameof(targetProbabilities), nameof(logits));
        Check.Length(losses.Length, x.Rows, nameof(losses), "row");
        Check.Length(logSumExp.Length, x.Rows, nameof(logSumExp), "row");
        Check.Disjoint<T, T>(x.Region, losses, nameof(losses));
        Check.Disjoint<T, T>(q.Region, losses, nameof(losses));
        Check.Disjoint<T, T>(x.Region, logSumExp, nameof(logSumExp));
        Check.Disjoint<T, T>(q.Region, logSumExp, nameof(logSumExp));
        Check.Disjoint<T, T>(losses, logSumExp, nameof(logSumExp));
        Check.Probabilities<T>(q.Region, q.Rows, q.Classes, q.RowStride);
        RunProbabilities(RowOperation.ProbabilityForward, x.Region, q.Region, losses, logSumExp, default, T.One, x.Rows, Layout(x, default, q));
    }

    /// <inheritdoc cref="ForwardBackward(ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits; rows may be padded (row stride above K).</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    public T ForwardBackward(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, TensorSpan<T> gradient)
    {
        var x = Matrix(logits, nameof(logits));
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        q.RequireShapeOf(x, nameof(targetProbabilities), nameof(logits));
        g.RequireShapeOf(x, nameof(gradient), nameof(logits));
        g.RequireInPlaceOrDisjoint(x, nameof(gradient));
        Check.Disjoint<T, T>(q.Region, g.Region, nameof(gradient));
        Check.Probabilities<T>(q.Region, q.Rows, q.Classes, q.RowStride);
        T scale = LossMath.Reduce.ProbabilityScale<T>(Reduction, x.Rows);
        double total = RunProbabilities(RowOperation.ProbabilityGradient, x.Region, q.Region, g.Region, default, default, scale, x.Rows, Layout(x, g, q));
        return ReduceProbabilities(total, x.Rows);
    }

    /// <inheritdoc cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T})"/>
    /// <param name="logits">An [N, K] tensor span of logits, as given to <c>Forward</c>; rows may be padded.</param>
    /// <param name="targetProbabilities">An [N, K] tensor span of finite, non-negative target probabilities.</param>
    /// <param name="logSumExp">N log-sum-exp values from <c>Forward</c>.</param>
    /// <param name="lossGradients">N upstream gradients.</param>
    /// <param name="gradient">An [N, K] tensor span; may be exactly the logits (same memory and strides: in place). Padding is left untouched.</param>
    public void Backward(ReadOnlyTensorSpan<T> logits, ReadOnlyTensorSpan<T> targetProbabilities, ReadOnlySpan<T> logSumExp, ReadOnlySpan<T> lossGradients, TensorSpan<T> gradient)
    {
        var x = Matrix(logits, nameof(logits));
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        var g = MatrixView<T>.Of(gradient, nameof(gradient));
        q.RequireShapeOf(x, nameof(targetProbabilities), nameof(logits));
        Check.Length(logSumExp.Length, x.Rows, nameof(logSumExp), "row");
        Check.Length(lossGradients.Length, x.Rows, nameof(lossGradients), "row");
        g.RequireShapeOf(x, nameof(gradient), nameof(logits));
        g.RequireInPlaceOrDisjoint(x, nameof(gradient));
        Check.Disjoint<T, T>(q.Region, g.Region, nameof(gradient));
        Check.Disjoint(logSumExp, g.Region, nameof(gradient));
        Check.Disjoint(lossGradients, g.Region, nameof(gradient));
        Check.Probabilities<T>(q.Region, q.Rows, q.Classes, q.RowStride);
        RunProbabilities(RowOperation.ProbabilityBackward, x.Region, q.Region, g.Region, logSumExp, lossGradients, T.One, x.Rows, Layout(x, g, q));
    }

    private static RowLayout Layout(in MatrixView<T> logits, in MatrixView<T> output, in MatrixView<T> probabilities)
        => new(logits.StagedStride, output.StagedStride, probabilities.StagedStride, Half: false);

    /// <summary>The logits as a matrix of this loss's K.</summary>
    private MatrixView<T> Matrix(in ReadOnlyTensorSpan<T> logits, string paramName)
    {
        var x = MatrixView<T>.Of(logits, paramName);
        if (x.Classes != Classes)
        {
            throw new ArgumentException($"{paramName} has K = {x.Classes} classes (its last length), but this loss has {Classes}.", paramName);
        }

        return x;
    }

    /// <summary>Validated target probabilities of the logits' shape.</summary>
    private static MatrixView<T> Probabilities(in ReadOnlyTensorSpan<T> targetProbabilities, in MatrixView<T> logits)
    {
        var q = MatrixView<T>.Of(targetProbabilities, nameof(targetProbabilities));
        q.RequireShapeOf(logits, nameof(targetProbabilities), nameof(logits));
        Check.Probabilities<T>(q.Region, q.Rows, q.Classes, q.RowStride);
        return q;
    }
}

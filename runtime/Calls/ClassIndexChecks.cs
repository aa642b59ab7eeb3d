using System;
using System.Numerics;

namespace LsrGen.Calls;

/// <summary>
/// The validation of the class-index calls of <see cref="LsrKernels"/>, shared by the float and double logits
/// (<see cref="LsrKernelRunner{T, TKernel}"/>) and the Half ones (<see cref="HalfRunner"/>): <typeparamref name="TX"/>
/// is the logits' element type, <typeparamref name="TW"/> that of the weights, smoothing and losses.
/// </summary>
internal static class ClassIndexChecks<TX, TW>
    where TX : unmanaged
    where TW : unmanaged, IFloatingPointIeee754<TW>
{
    /// <summary>A reduced loss; returns N, the weight total W and the mean's denominator D.</summary>
    public static (int Rows, TW WeightTotal, double TargetWeight) Reduced(
        ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, TW labelSmoothing, Reduction reduction, int ignoreIndex, ReadOnlySpan<TW> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targets.Length, rows, nameof(targets), "row");
        Check.Reduction(reduction);
        Check.LabelSmoothing(labelSmoothing);
        TW weightTotal = Check.Weight(weight, classes);
        return (rows, weightTotal, Check.Targets(targets, classes, ignoreIndex, weight));
    }

    /// <summary>Per-row losses; returns N and W.</summary>
    public static (int Rows, TW WeightTotal) PerRow(
        ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, Span<TW> losses, TW labelSmoothing, int ignoreIndex, ReadOnlySpan<TW> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targets.Length, rows, nameof(targets), "row");
        Check.Length(losses.Length, rows, nameof(losses), "row");
        Check.LabelSmoothing(labelSmoothing);
        TW weightTotal = Check.Weight(weight, classes);
        Check.Disjoint(logits, losses, nameof(losses));
        Check.Disjoint(targets, losses, nameof(losses));
        Check.Disjoint(weight, losses, nameof(losses));
        Check.Targets(targets, classes, ignoreIndex, weight);
        return (rows, weightTotal);
    }

    /// <summary>A reduced loss with its gradient; returns N, W and D.</summary>
    public static (int Rows, TW WeightTotal, double TargetWeight) WithGradient(
        ReadOnlySpan<TX> logits, int classes, ReadOnlySpan<int> targets, Span<TX> gradient, TW labelSmoothing, Reduction reduction, int ignoreIndex,
        ReadOnlySpan<TW> weight)
    {
        int rows = Check.Rows(logits.Length, classes, nameof(logits));
        Check.Length(targets.Length, rows, nameof(targets), "row");
        Check.Length(gradient.Length, logits.Length, nameof(gradient), "logit");
        Check.Reduction(reduction);
        Check.LabelSmoothing(labelSmoothing);
        TW weightTotal = Check.Weight(weight, classes);
        Check.InPlaceOrDisjoint(logits, gradient, nameof(gradient));
        Check.Disjoint(targets, gradient, nameof(gradient));
        Check.Disjoint(weight, gradient, nameof(gradient));
        return (rows, weightTotal, Check.Targets(targets, classes, ignoreIndex, weight));
    }
}

using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using LsrGen.Simd;

namespace LsrGen.Infrastructure;

/// <summary>
/// The class-index loss and its gradient over one block of rows, one class at a time, with d = x - max:
/// loss = (1-eps) w_t (ls - d_t) + (eps/K) (W ls - sum_j w_j d_j), every term of one sign (d &lt;= 0, ls &gt;= 0), so
/// nothing cancels; gradient g_j = s (e_j a - (eps/K) w_j - [j == t] (1-eps) w_t) with a = ((1-eps) w_t + (eps/K) W) / sum
/// and s the reduction's scale; ignored rows get loss 0 and gradient 0. Generated kernels unroll <see cref="Add"/> and
/// <see cref="Gradient"/> over K class vectors kept in registers.
/// Infrastructure for generated code: not intended to be used directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct HardBlock<T, TS, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TS : struct, IBlockSimd<T, TV>
    where TV : struct
{
    private readonly TV _targets;
    private TV _sum;
    private TV _rest;
    private TV _shifted;
    private TV _targetShifted;
    private TV _targetWeight;
    private TV _hit;
    private TV _factor;

    /// <summary>Starts a block.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="targets">The block's first target.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HardBlock(in BlockArgs<T> args, ref int targets)
    {
        _targets = TS.LoadTargets(ref targets, args.IgnoreIndex);
        _sum = TS.Zero;
        _rest = TS.Zero;
        _shifted = TS.Zero;
        _targetShifted = TS.Zero;
        _targetWeight = TS.Zero;
        _hit = TS.Zero;
        _factor = TS.Zero;
    }

    /// <summary>Adds class <paramref name="classIndex"/>; returns its exps exp(x - max).</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The class's exps.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Add(in BlockArgs<T> args, int classIndex, TV column, TV max)
    {
        TV d = TS.Subtract(column, max);
        TV e = TS.Exp(d);
        _sum = TS.Add(_sum, e);
        TV hit = TS.Equals(_targets, TS.Broadcast(T.CreateTruncating(classIndex)));
        _targetShifted = TS.ConditionalSelect(hit, d, _targetShifted);

        // The smoothing sum is taken whatever eps is (no branch per class on it); used only when eps != 0, so at
        // eps == 0 a -Inf logit elsewhere leaves the loss finite, as PyTorch. Without weights (a branch the predictor
        // always gets right) the target weight is 1 and w_j d_j is d_j.
        if (args.HasWeight)
        {
            TV weight = TS.Broadcast(args.Weight(classIndex));
            _targetWeight = TS.ConditionalSelect(hit, weight, _targetWeight);
            _shifted = TS.MultiplyAdd(weight, d, _shifted);
        }
        else
        {
            _shifted = TS.Add(_shifted, d);
        }

        return e;
    }

    /// <summary>
    /// <see cref="Add"/> for a per-row loss: also sums the exps of the classes off the row max, so that
    /// <see cref="RowLoss"/> keeps a tiny loss's relative accuracy.
    /// </summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddForLoss(in BlockArgs<T> args, int classIndex, TV column, TV max)
        => _rest = BlockMath<T, TS, TV>.AddRest(_rest, column, max, Add(args, classIndex, column, max));

    /// <summary>Each row's loss after every class went through <see cref="AddForLoss"/>; 0 for ignored rows.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <returns>The losses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV RowLoss(in BlockArgs<T> args) => LossFrom(args, BlockMath<T, TS, TV>.Log(_sum, _rest));

    /// <summary>Each row's loss, after every class was added; 0 for ignored rows.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <returns>The losses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Loss(in BlockArgs<T> args) => LossFrom(args, TS.LogAtLeastOne(_sum));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TV LossFrom(in BlockArgs<T> args, TV logSum)
    {
        TV loss = TS.Multiply(TS.Multiply(TS.Broadcast(args.Keep), TargetWeight(args)), TS.Subtract(logSum, _targetShifted));
        if (args.LabelSmoothing != T.Zero)
        {
            loss = TS.Add(loss, TS.Multiply(TS.Broadcast(args.Spread), TS.Subtract(TS.Multiply(TS.Broadcast(args.WeightTotal), logSum), _shifted)));
        }

        return TS.AndNot(loss, Ignored);
    }

    /// <summary>Prepares <see cref="Gradient"/>, after every class was added.</summary>
    /// <param name="args">The call's scalars.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartGradient(in BlockArgs<T> args)
    {
        TV keepWeight = TS.Multiply(TS.Broadcast(args.Keep), TargetWeight(args));
        TV scale = TS.Broadcast(args.Scale);
        _factor = TS.Divide(TS.Multiply(TS.Add(keepWeight, TS.Broadcast(args.Spread * args.WeightTotal)), scale), _sum);
        _hit = TS.Multiply(keepWeight, scale);
    }

    /// <summary>The gradient of class <paramref name="classIndex"/> from its exps.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="exp">The class's exps, from <see cref="Add"/>.</param>
    /// <returns>The class's gradient, times the reduction's scale.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Gradient(in BlockArgs<T> args, int classIndex, TV exp)
    {
        TV shift = TS.Broadcast(args.Spread * args.Scale * args.Weight(classIndex));
        TV hit = TS.And(_hit, TS.Equals(_targets, TS.Broadcast(T.CreateTruncating(classIndex))));
        return TS.AndNot(TS.Subtract(TS.Subtract(TS.Multiply(exp, _factor), shift), hit), Ignored);
    }

    private readonly TV TargetWeight(in BlockArgs<T> args) => args.HasWeight ? _targetWeight : TS.Broadcast(T.One);

    private readonly TV Ignored => TS.Equals(_targets, TS.Broadcast(T.NegativeOne));
}

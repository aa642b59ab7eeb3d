using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// The class-index loss and its gradient over one block of rows, one class at a time, with z the (possibly soft-capped)
/// logits and d = z - max: loss = (1-eps) w_t (ls - d_t) + (eps/K) (W ls - sum_j w_j d_j) + a w_t lse^2, every
/// cross-entropy term of one sign (d &lt;= 0, ls &gt;= 0), so nothing cancels; gradient
/// g_j = s (e_j f - (eps/K) w_j - [j == t] (1-eps) w_t) (times dz/dx, which the driver applies) with f = ((1-eps) w_t + (eps/K) W + 2 a w_t lse) / sum and
/// s the reduction's scale; Backward takes p = exp(z - lse) from a given lse and s from each row's upstream gradient.
/// Ignored rows get loss 0 and gradient 0. Generated kernels unroll the per-class members over K class vectors kept in
/// registers.
/// For generated code only: not intended to be used directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct ClassIndexBlock<T, TS, TV>
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
    private TV _shift;
    private TV _max;
    private TV _logSumExp;

    /// <summary>Starts a block.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="targets">The block's first target.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ClassIndexBlock(in BlockArgs<T> args, ref int targets)
    {
        _targets = TS.LoadTargets(ref targets, args.IgnoreIndex);
        _sum = TS.Zero;
        _rest = TS.Zero;
        _shifted = TS.Zero;
        _targetShifted = TS.Zero;
        _targetWeight = TS.Zero;
        _hit = TS.Zero;
        _factor = TS.Zero;
        _shift = TS.Zero;
        _max = TS.Zero;
        _logSumExp = TS.Zero;
    }

    /// <summary>Adds class <paramref name="classIndex"/>; returns its exps exp(z - max).</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="column">The class's logits z.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The class's exps.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Add(in BlockArgs<T> args, int classIndex, TV column, TV max)
    {
        TV e = AddOffTarget<ReducedLoss>(args, classIndex, column, max);
        TV hit = TS.Equals(_targets, TS.Broadcast(T.CreateTruncating(classIndex)));
        _targetShifted = TS.ConditionalSelect(hit, TS.Subtract(column, max), _targetShifted);
        if (args.HasWeight)
        {
            _targetWeight = TS.ConditionalSelect(hit, TS.Broadcast(args.Weight(classIndex)), _targetWeight);
        }

        return e;
    }

    /// <summary>
    /// <see cref="Add"/> for a per-row loss: also sums the exps of the classes off the row max, so that
    /// <see cref="RowLoss"/> keeps a tiny loss's relative accuracy.
    /// </summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="column">The class's logits z.</param>
    /// <param name="max">The row max.</param>
    /// <typeparam name="TOutput">Per-row losses track the rest; a reduced loss does not need it.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddForLoss<TOutput>(in BlockArgs<T> args, int classIndex, TV column, TV max)
        where TOutput : struct, ILossOutput
    {
        TV e = Add(args, classIndex, column, max);
        if (typeof(TOutput) == typeof(PerRowLosses))
        {
            _rest = BlockMath<T, TS, TV>.AddRest(_rest, column, max, e);
        }
    }

    /// <summary>
    /// <see cref="AddForLoss"/> without the target's terms, which <see cref="SetTarget"/> then gives for every row at once:
    /// a runtime block gathers each row's target logit, cheaper than a compare and select per class.
    /// </summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="column">The class's logits z.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The class's exps.</returns>
    /// <typeparam name="TOutput">Per-row losses track the rest; a reduced loss does not need it.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal TV AddOffTarget<TOutput>(in BlockArgs<T> args, int classIndex, TV column, TV max)
        where TOutput : struct, ILossOutput
    {
        _max = max;
        TV d = TS.Subtract(column, max);
        TV e = TS.Exp(d);
        _sum = TS.Add(_sum, e);

        // The smoothing sum is taken whatever eps is (no branch per class on it); used only when eps != 0, so at
        // eps == 0 a -Inf logit elsewhere leaves the loss finite, as PyTorch. Without weights (a branch the predictor
        // always gets right) w_j d_j is d_j.
        _shifted = args.HasWeight ? TS.MultiplyAdd(TS.Broadcast(args.Weight(classIndex)), d, _shifted) : TS.Add(_shifted, d);
        if (typeof(TOutput) == typeof(PerRowLosses))
        {
            _rest = BlockMath<T, TS, TV>.AddRest(_rest, column, max, e);
        }

        return e;
    }

    /// <summary>
    /// After every class went through <see cref="AddOffTarget"/>: each row's target logit z_t and weight w_t (any value
    /// on ignored rows, whose outputs are zeroed anyway).
    /// </summary>
    /// <param name="targetColumn">The rows' target logits.</param>
    /// <param name="targetWeight">The rows' target weights (ignored without weights).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetTarget(TV targetColumn, TV targetWeight)
    {
        _targetShifted = TS.Subtract(targetColumn, _max);
        _targetWeight = targetWeight;
    }

    /// <summary>
    /// Sets every row's max, sum of exps and shifted sum at once, in place of the per-class <see cref="AddOffTarget"/>,
    /// for a producer that reads along rows (<see cref="LaneRowKernels"/>); <see cref="SetTarget"/> follows.
    /// </summary>
    /// <param name="max">The rows' maxima.</param>
    /// <param name="sum">The rows' sums of exp(z - max).</param>
    /// <param name="shifted">The rows' sums of w_j (z_j - max).</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetRows(TV max, TV sum, TV shifted)
    {
        _max = max;
        _sum = sum;
        _shifted = shifted;
    }

    /// <summary>
    /// Each row's loss after every class went through <see cref="AddForLoss"/> (0 for ignored rows); writes each row's
    /// log-sum-exp to <paramref name="logSumExp"/> unless that is a null reference.
    /// </summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logSumExp">The block's first log-sum-exp output, or a null reference.</param>
    /// <returns>The losses.</returns>
    /// <typeparam name="TOutput">Whether the losses are reduced or reported per row.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV RowLoss<TOutput>(in BlockArgs<T> args, ref T logSumExp)
        where TOutput : struct, ILossOutput
    {
        TV loss = LossFrom(args, typeof(TOutput) == typeof(PerRowLosses) ? BlockMath<T, TS, TV>.Log(_sum, _rest) : TS.LogAtLeastOne(_sum));
        if (!Unsafe.IsNullRef(ref logSumExp))
        {
            TS.Store(_logSumExp, ref logSumExp, 0);
        }

        return loss;
    }

    /// <summary>Each row's loss, after every class was added; 0 for ignored rows.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <returns>The losses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Loss(in BlockArgs<T> args) => LossFrom(args, TS.LogAtLeastOne(_sum));

    // ClassIndexTerms.GradientMass over a block's rows, in its rounding order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TV GradientMass(in BlockArgs<T> args, TV keepWeight)
    {
        TV mass = TS.Add(keepWeight, TS.Broadcast(args.Spread * args.WeightTotal));
        if (args.ZLossScale != T.Zero)
        {
            mass = TS.Add(mass, TS.Multiply(TS.Multiply(TS.Broadcast(T.CreateTruncating(2) * args.ZLossScale), TargetWeight(args)), _logSumExp));
        }

        return mass;
    }

    /// <summary>Prepares <see cref="Gradient"/>, after <see cref="Loss"/>.</summary>
    /// <param name="args">The call's scalars.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartGradient(in BlockArgs<T> args)
    {
        TV keepWeight = TS.Multiply(TS.Broadcast(args.Keep), TargetWeight(args));
        TV scale = TS.Broadcast(args.Scale);
        TV mass = GradientMass(args, keepWeight);

        _factor = TS.Divide(TS.Multiply(mass, scale), _sum);
        _hit = TS.Multiply(keepWeight, scale);
        _shift = scale;
    }

    /// <summary>The gradient of class <paramref name="classIndex"/> from its exps.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="exp">The class's exps, from <see cref="Add"/>.</param>
    /// <returns>The class's gradient with respect to z, times the reduction's scale.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Gradient(in BlockArgs<T> args, int classIndex, TV exp)
        => Finish(args, classIndex, TS.Multiply(exp, _factor));

    /// <summary>Backward: takes class <paramref name="classIndex"/>'s weight if it is a row's target.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddTarget(in BlockArgs<T> args, int classIndex)
    {
        if (args.HasWeight)
        {
            TV hit = TS.Equals(_targets, TS.Broadcast(T.CreateTruncating(classIndex)));
            _targetWeight = TS.ConditionalSelect(hit, TS.Broadcast(args.Weight(classIndex)), _targetWeight);
        }
    }

    /// <summary>Backward: loads each row's log-sum-exp and upstream gradient, after every class's <see cref="AddTarget"/>.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logSumExp">The block's first log-sum-exp.</param>
    /// <param name="lossGradients">The block's first upstream gradient.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartBackward(in BlockArgs<T> args, ref T logSumExp, ref T lossGradients)
    {
        _logSumExp = TS.Load(ref logSumExp, 0);
        TV upstream = TS.Load(ref lossGradients, 0);
        TV keepWeight = TS.Multiply(TS.Broadcast(args.Keep), TargetWeight(args));
        TV mass = GradientMass(args, keepWeight);

        _factor = TS.Multiply(upstream, mass);
        _hit = TS.Multiply(upstream, keepWeight);
        _shift = upstream;
    }

    /// <summary>Backward: class <paramref name="classIndex"/>'s gradient with p = exp(z - lse), times the upstream gradient.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="column">The class's logits z.</param>
    /// <returns>The class's gradient with respect to z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Backward(in BlockArgs<T> args, int classIndex, TV column)
        => Finish(args, classIndex, TS.Multiply(TS.Exp(TS.Subtract(column, _logSumExp)), _factor));

    // p f - s (eps/K) w_j - [j == t] s (1-eps) w_t; 0 on ignored rows (also where their logits or upstream gradients are
    // NaN). With a soft-cap the driver multiplies in dz/dx afterwards (BlockKernels), keeping this code small.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TV Finish(in BlockArgs<T> args, int classIndex, TV scaledExp)
    {
        TV shift = TS.Multiply(_shift, TS.Broadcast(args.Spread * args.Weight(classIndex)));
        TV hit = TS.And(_hit, TS.Equals(_targets, TS.Broadcast(T.CreateTruncating(classIndex))));
        return TS.AndNot(TS.Subtract(TS.Subtract(scaledExp, shift), hit), Ignored);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV LossFrom(in BlockArgs<T> args, TV logSum)
    {
        _logSumExp = TS.Add(_max, logSum);
        TV loss = TS.Multiply(TS.Multiply(TS.Broadcast(args.Keep), TargetWeight(args)), TS.Subtract(logSum, _targetShifted));
        if (args.LabelSmoothing != T.Zero)
        {
            loss = TS.Add(loss, TS.Multiply(TS.Broadcast(args.Spread), TS.Subtract(TS.Multiply(TS.Broadcast(args.WeightTotal), logSum), _shifted)));
        }

        if (args.ZLossScale != T.Zero)
        {
            loss = TS.Add(loss, TS.Multiply(TS.Multiply(TS.Broadcast(args.ZLossScale), TargetWeight(args)), TS.Multiply(_logSumExp, _logSumExp)));
        }

        return TS.AndNot(loss, Ignored);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TV TargetWeight(in BlockArgs<T> args) => args.HasWeight ? _targetWeight : TS.Broadcast(T.One);

    private readonly TV Ignored
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => TS.Equals(_targets, TS.Broadcast(T.NegativeOne));
    }
}

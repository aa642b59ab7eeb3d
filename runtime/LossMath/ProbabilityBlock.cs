using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// The probability-target loss and its gradient over one block of rows, one class at a time, with z the (possibly
/// soft-capped) logits: loss = -sum_j w_j q'_j ((z_j - max) - ls) + a lse^2, q' = (1-eps) q + eps/K; gradient
/// g_j = s (e_j (M + 2 a lse) / sum - w_j q'_j) (times dz/dx, which the driver applies) with M = sum_j w_j q'_j and s the reduction's scale; Backward takes
/// p = exp(z - lse) from a given lse and s from each row's upstream gradient. Generated kernels unroll the per-class
/// members over K class vectors kept in registers: <see cref="AddExp"/> for every class, then <see cref="Close"/>,
/// <see cref="Cross"/> for every class, and for the gradient <see cref="StartGradient"/> and <see cref="Gradient"/>.
/// For generated code only: not intended to be used directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct ProbabilityBlock<T, TS, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TS : struct, IBlockSimd<T, TV>
    where TV : struct
{
    private TV _sum;
    private TV _rest;
    private TV _max;
    private TV _logSum;
    private TV _logSumExp;
    private TV _cross;
    private TV _mass;
    private TV _factor;
    private TV _scale;

    /// <summary>Adds class j's exp(z - max) to the row sums and returns it.</summary>
    /// <param name="column">The class's logits z.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The class's exps.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV AddExp(TV column, TV max)
    {
        _max = max;
        TV e = TS.Exp(TS.Subtract(column, max));
        _sum = TS.Add(_sum, e);
        return e;
    }

    /// <summary><see cref="AddExp"/> for a per-row loss: also sums the exps off the row max, for <see cref="CloseForLoss"/>.</summary>
    /// <param name="column">The class's logits z.</param>
    /// <param name="max">The row max.</param>
    /// <typeparam name="TOutput">Per-row losses track the rest; a reduced loss does not need it.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddExpForLoss<TOutput>(TV column, TV max)
        where TOutput : struct, ILossOutput
    {
        TV e = AddExp(column, max);
        if (typeof(TOutput) == typeof(PerRowLosses))
        {
            _rest = BlockMath<T, TS, TV>.AddRest(_rest, column, max, e);
        }
    }

    /// <summary>Takes the log of the row sums after <see cref="AddExpForLoss"/>, accurate near a sum of 1 for per-row losses.</summary>
    /// <typeparam name="TOutput">Whether the losses are reduced or reported per row.</typeparam>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CloseForLoss<TOutput>()
        where TOutput : struct, ILossOutput
        => SetLogSum(typeof(TOutput) == typeof(PerRowLosses) ? BlockMath<T, TS, TV>.Log(_sum, _rest) : TS.LogAtLeastOne(_sum));

    /// <summary>Takes the log of the row sums, after every class was added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Close() => SetLogSum(TS.LogAtLeastOne(_sum));

    /// <summary>Adds class <paramref name="classIndex"/>'s cross-entropy term; returns w_j q'_j.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="probability">The class's target probabilities.</param>
    /// <param name="column">The class's logits z.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The smoothed, weighted target w_j q'_j.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Cross(in BlockArgs<T> args, int classIndex, TV probability, TV column, TV max)
    {
        TV weighted = AddMass(args, classIndex, probability);
        _cross = TS.Add(_cross, TS.Multiply(weighted, TS.Subtract(TS.Subtract(column, max), _logSum)));
        return weighted;
    }

    /// <summary>Each row's loss, after every class's <see cref="Cross"/>.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <returns>The losses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Loss(in BlockArgs<T> args)
    {
        TV loss = TS.Subtract(TS.Zero, _cross);
        return args.ZLossScale != T.Zero
            ? TS.Add(loss, TS.Multiply(TS.Broadcast(args.ZLossScale), TS.Multiply(_logSumExp, _logSumExp)))
            : loss;
    }

    /// <summary>Each row's loss; writes each row's log-sum-exp to <paramref name="logSumExp"/> unless that is a null reference.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logSumExp">The block's first log-sum-exp output, or a null reference.</param>
    /// <returns>The losses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV RowLoss(in BlockArgs<T> args, ref T logSumExp)
    {
        if (!Unsafe.IsNullRef(ref logSumExp))
        {
            TS.Store(_logSumExp, ref logSumExp, 0);
        }

        return Loss(args);
    }

    /// <summary>Prepares <see cref="Gradient"/>.</summary>
    /// <param name="args">The call's scalars.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartGradient(in BlockArgs<T> args)
    {
        _scale = TS.Broadcast(args.Scale);
        _factor = TS.Divide(TS.Multiply(Mass(args), _scale), _sum);
    }

    /// <summary>One class's gradient.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="exp">The class's exps, from <see cref="AddExp"/>.</param>
    /// <param name="weightedTarget">Its w_j q'_j, from <see cref="Cross"/>.</param>
    /// <returns>The class's gradient with respect to z, times the reduction's scale.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Gradient(in BlockArgs<T> args, TV exp, TV weightedTarget)
        => TS.Subtract(TS.Multiply(exp, _factor), TS.Multiply(_scale, weightedTarget));

    /// <summary>Adds class <paramref name="classIndex"/>'s w_j q'_j to the row's target mass and returns it.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="probability">The class's target probabilities.</param>
    /// <returns>w_j q'_j.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV AddMass(in BlockArgs<T> args, int classIndex, TV probability)
    {
        TV smoothed = TS.MultiplyAdd(TS.Broadcast(args.Keep), probability, TS.Broadcast(args.Spread));
        TV weighted = TS.Multiply(TS.Broadcast(args.Weight(classIndex)), smoothed);
        _mass = TS.Add(_mass, weighted);
        return weighted;
    }

    /// <summary>Backward: loads each row's log-sum-exp and upstream gradient, after every class's <see cref="AddMass"/>.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="logSumExp">The block's first log-sum-exp.</param>
    /// <param name="lossGradients">The block's first upstream gradient.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartBackward(in BlockArgs<T> args, ref T logSumExp, ref T lossGradients)
    {
        _logSumExp = TS.Load(ref logSumExp, 0);
        _scale = TS.Load(ref lossGradients, 0);
        _factor = TS.Multiply(_scale, Mass(args));
    }

    /// <summary>Backward: one class's gradient with p = exp(z - lse), times the upstream gradient.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="column">The class's logits z.</param>
    /// <param name="weightedTarget">Its w_j q'_j, from <see cref="AddMass"/>.</param>
    /// <returns>The class's gradient with respect to z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Backward(in BlockArgs<T> args, TV column, TV weightedTarget)
        => TS.Subtract(TS.Multiply(TS.Exp(TS.Subtract(column, _logSumExp)), _factor), TS.Multiply(_scale, weightedTarget));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SetLogSum(TV logSum)
    {
        _logSum = logSum;
        _logSumExp = TS.Add(_max, logSum);
    }

    // M, plus 2 a lse with z-loss.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly TV Mass(in BlockArgs<T> args)
        => args.ZLossScale != T.Zero
            ? TS.Add(_mass, TS.Multiply(TS.Broadcast(T.CreateTruncating(2) * args.ZLossScale), _logSumExp))
            : _mass;
}

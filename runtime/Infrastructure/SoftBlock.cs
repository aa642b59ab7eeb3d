using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using LsrGen.Simd;

namespace LsrGen.Infrastructure;

/// <summary>
/// The probability-target loss and its gradient over one block of rows, one class at a time:
/// loss = -sum_j w_j q'_j ((x_j - max) - ls), q' = (1-eps) q + eps/K; gradient g_j = s (e_j m / sum - w_j q'_j) with
/// m = sum_j w_j q'_j and s the reduction's scale. Generated kernels unroll the per-class members over K class vectors
/// kept in registers: <see cref="AddExp"/> for every class, then <see cref="Close"/>, <see cref="Cross"/> for every
/// class, and for the gradient <see cref="StartGradient"/> and <see cref="Gradient"/>.
/// Infrastructure for generated code: not intended to be used directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct SoftBlock<T, TS, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TS : struct, IBlockSimd<T, TV>
    where TV : struct
{
    private TV _sum;
    private TV _rest;
    private TV _logSum;
    private TV _cross;
    private TV _mass;
    private TV _factor;
    private TV _scale;

    /// <summary>Adds class j's exp(x - max) to the row sums and returns it.</summary>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The class's exps.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV AddExp(TV column, TV max)
    {
        TV e = TS.Exp(TS.Subtract(column, max));
        _sum = TS.Add(_sum, e);
        return e;
    }

    /// <summary><see cref="AddExp"/> for a per-row loss: also sums the exps off the row max, for <see cref="CloseForLoss"/>.</summary>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddExpForLoss(TV column, TV max) => _rest = BlockMath<T, TS, TV>.AddRest(_rest, column, max, AddExp(column, max));

    /// <summary>Takes the log of the row sums after <see cref="AddExpForLoss"/>, accurate near a sum of 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CloseForLoss() => _logSum = BlockMath<T, TS, TV>.Log(_sum, _rest);

    /// <summary>Takes the log of the row sums, after every class was added.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Close() => _logSum = TS.LogAtLeastOne(_sum);

    /// <summary>Adds class <paramref name="classIndex"/>'s cross-entropy term; returns w_j q'_j.</summary>
    /// <param name="args">The call's scalars.</param>
    /// <param name="classIndex">The class.</param>
    /// <param name="probability">The class's target probabilities.</param>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The smoothed, weighted target w_j q'_j.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Cross(in BlockArgs<T> args, int classIndex, TV probability, TV column, TV max)
    {
        TV smoothed = TS.MultiplyAdd(TS.Broadcast(args.Keep), probability, TS.Broadcast(args.Spread));
        TV weighted = TS.Multiply(TS.Broadcast(args.Weight(classIndex)), smoothed);
        _cross = TS.Add(_cross, TS.Multiply(weighted, TS.Subtract(TS.Subtract(column, max), _logSum)));
        _mass = TS.Add(_mass, weighted);
        return weighted;
    }

    /// <summary>Each row's loss, after every class's <see cref="Cross"/>.</summary>
    /// <returns>The losses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Loss() => TS.Subtract(TS.Zero, _cross);

    /// <summary>Prepares <see cref="Gradient"/>.</summary>
    /// <param name="args">The call's scalars.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartGradient(in BlockArgs<T> args)
    {
        _scale = TS.Broadcast(args.Scale);
        _factor = TS.Divide(TS.Multiply(_mass, _scale), _sum);
    }

    /// <summary>One class's gradient.</summary>
    /// <param name="exp">The class's exps, from <see cref="AddExp"/>.</param>
    /// <param name="weightedTarget">Its w_j q'_j, from <see cref="Cross"/>.</param>
    /// <returns>The class's gradient, times the reduction's scale.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly TV Gradient(TV exp, TV weightedTarget) => TS.Subtract(TS.Multiply(exp, _factor), TS.Multiply(_scale, weightedTarget));
}

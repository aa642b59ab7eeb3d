using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// A class-index row's loss and gradient mass from its statistics, written once for the row loops, the register rows,
/// <c>Backward</c>'s rows and the sharded passes, so that every shape rounds them in the same order. The block shapes
/// compute the same terms over vectors (<see cref="ClassIndexBlock{T, TS, TV}"/>), in the same order.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static class ClassIndexTerms<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>
    /// The row's loss: <c>keep w_t (log s - (z_t - max)) + spread S + a w_t lse^2</c>, the smoothing term only when
    /// <paramref name="smoothing"/> (PyTorch skips it at eps = 0, so a -Inf logit elsewhere leaves the loss finite).
    /// </summary>
    /// <param name="keep">1 - eps.</param>
    /// <param name="targetWeight">The target's class weight w_t.</param>
    /// <param name="targetShifted">z_t - max (not lse - z_t: lse would round a tiny log s away).</param>
    /// <param name="logSum">log s, the log of the row's sum of exp(z - max).</param>
    /// <param name="smoothing">Whether eps is not 0.</param>
    /// <param name="spread">eps / K.</param>
    /// <param name="smoothingSum">S = -sum_k w_k log p_k = W log s - sum_k w_k (z_k - max), however the caller has it.</param>
    /// <param name="zLossScale">The z-loss scale a.</param>
    /// <param name="lse">The row's log-sum-exp.</param>
    /// <returns>The row's loss, before the reduction.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Loss(T keep, T targetWeight, T targetShifted, T logSum, bool smoothing, T spread, T smoothingSum, T zLossScale, T lse)
    {
        T loss = keep * -(targetWeight * (targetShifted - logSum));
        if (smoothing)
        {
            loss += spread * smoothingSum;
        }

        if (zLossScale != T.Zero)
        {
            loss += zLossScale * targetWeight * lse * lse;
        }

        return loss;
    }

    /// <summary>The weight the gradient gives each row probability: <c>keep w_t + spread W</c>, plus <c>2 a w_t lse</c> under z-loss.</summary>
    /// <param name="keep">1 - eps.</param>
    /// <param name="spread">eps / K.</param>
    /// <param name="targetWeight">The target's class weight w_t.</param>
    /// <param name="weightTotal">W, the sum of the class weights (of the whole row, in a shard too).</param>
    /// <param name="zLossScale">The z-loss scale a.</param>
    /// <param name="lse">The row's log-sum-exp.</param>
    /// <returns>The mass M, so that dL/dz_j = p_j M - spread w_j - [j == t] keep w_t.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GradientMass(T keep, T spread, T targetWeight, T weightTotal, T zLossScale, T lse)
    {
        T mass = (keep * targetWeight) + (spread * weightTotal);
        if (zLossScale != T.Zero)
        {
            mass += T.CreateTruncating(2) * zLossScale * targetWeight * lse;
        }

        return mass;
    }
}

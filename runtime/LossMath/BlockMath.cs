using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// The per-class steps of log-softmax and softmax in the block shape, where each vector holds one class of a block of
/// rows. Generated kernels unroll them over K class vectors kept in registers.
/// For generated code only: not intended to be called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BlockMath<T, TS, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TS : struct, IBlockSimd<T, TV>
    where TV : struct
{
    /// <summary>The running row max over one more class.</summary>
    /// <param name="max">The max so far.</param>
    /// <param name="column">The next class.</param>
    /// <returns>The new max.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Max(TV max, TV column) => TS.MaxNative(max, column);

    /// <summary>exp(x - max) of one class.</summary>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    /// <returns>The exps.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV column, TV max) => TS.Exp(TS.Subtract(column, max));

    /// <summary>The sum so far plus one more term.</summary>
    /// <param name="sum">The sum so far.</param>
    /// <param name="term">The next term.</param>
    /// <returns>The new sum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Add(TV sum, TV term) => TS.Add(sum, term);

    /// <summary>log of each row's sum of exps.</summary>
    /// <param name="sum">The sums (at least 1).</param>
    /// <returns>The logs.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log(TV sum) => TS.LogAtLeastOne(sum);

    /// <summary>
    /// The rest r so far plus class j's exps where the class is not at the row max: with r, a row's log(sum) keeps its
    /// relative accuracy near sum = 1 (see <see cref="Log(TV, TV)"/>).
    /// </summary>
    /// <param name="rest">r so far.</param>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    /// <param name="exp">The class's exps.</param>
    /// <returns>The new r.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV AddRest(TV rest, TV column, TV max, TV exp) => TS.Add(rest, TS.AndNot(exp, TS.Equals(column, max)));

    /// <summary>
    /// log of each row's sum of exps, as log1p(r) where the sum is below 2 (then exactly one class sits at the max and
    /// sum = 1 + r): a target log-probability near 0 keeps its relative accuracy.
    /// </summary>
    /// <param name="sum">The sums (at least 1).</param>
    /// <param name="rest">The sums without the max's exp, from <see cref="AddRest"/>.</param>
    /// <returns>The logs.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log(TV sum, TV rest)
    {
        // log1p(r) = log(u) - ((u - 1) - r) / u with u = 1 + r rounded; one log for both cases.
        TV one = TS.Broadcast(T.One);
        TV nearOne = TS.LessThan(sum, TS.Broadcast(T.CreateTruncating(2)));
        TV u = TS.Add(one, rest);
        TV log = TS.LogAtLeastOne(TS.ConditionalSelect(nearOne, u, sum));
        TV corrected = TS.Subtract(log, TS.Divide(TS.Subtract(TS.Subtract(u, one), rest), u));
        return TS.ConditionalSelect(nearOne, corrected, log);
    }

    /// <summary>log_softmax of one class: (x - max) - log(sum), in that order (exact for rows offset by 1e30).</summary>
    /// <param name="column">The class's logits.</param>
    /// <param name="max">The row max.</param>
    /// <param name="logSum">log of the row's sum of exps.</param>
    /// <returns>The log-probabilities.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV LogProbability(TV column, TV max, TV logSum) => TS.Subtract(TS.Subtract(column, max), logSum);

    /// <summary>1 / sum.</summary>
    /// <param name="sum">The row sums.</param>
    /// <returns>Their inverses.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Inverse(TV sum) => TS.Divide(TS.Broadcast(T.One), sum);

    /// <summary>softmax of one class: exp(x - max) / sum.</summary>
    /// <param name="exp">The class's exps.</param>
    /// <param name="inverseSum">1 / the row's sum of exps.</param>
    /// <returns>The probabilities.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Probability(TV exp, TV inverseSum) => TS.Multiply(exp, inverseSum);
}

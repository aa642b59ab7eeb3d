using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// A row's entropy H = -sum_k p_k log p_k from its statistics at the row max, written once for the option rows and the
/// sharded passes: with s = sum_k exp(z_k - max) and E = sum_k exp(z_k - max) (max - z_k), H = E / s + log s, both
/// terms at least 0, so nothing cancels.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal static class EntropyTerms<T>
    where T : IFloatingPointIeee754<T>
{
    /// <summary>H from E, s and log s.</summary>
    /// <param name="entropySum">E.</param>
    /// <param name="sum">s.</param>
    /// <param name="logSum">log s.</param>
    /// <returns>H.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Entropy(T entropySum, T sum, T logSum) => (entropySum / sum) + logSum;

    /// <summary>
    /// A row's loss with the entropy bonus: <c>loss - b w H</c> (w: the target's weight, 1 for probability targets),
    /// the bonus left out when b is 0 (no 0 * NaN).
    /// </summary>
    /// <param name="loss">Section 7's loss of the row.</param>
    /// <param name="entropyScale">b.</param>
    /// <param name="weight">The row's weight of the bonus.</param>
    /// <param name="entropy">H.</param>
    /// <returns>The row's loss.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T WithBonus(T loss, T entropyScale, T weight, T entropy)
        => entropyScale == T.Zero ? loss : loss - (entropyScale * weight * entropy);
}

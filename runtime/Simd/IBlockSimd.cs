using System.ComponentModel;
using System.Numerics;

namespace LsrGen.Simd;

/// <summary>
/// What the block kernels need beyond <see cref="ISimd{T, TVec}"/>: rows sit across the lanes there (one vector per
/// class), so a row's target, ignore flag and log-sum-exp are lanes too. Implemented for Vector512 and Vector256.
/// Infrastructure for generated code: not intended to be implemented or called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TVec">The vector type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IBlockSimd<T, TVec> : ISimd<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
{
    /// <summary>The targets of <see cref="ISimd{T, TVec}.Count"/> rows as lanes of T; an ignored row's lane is -1.</summary>
    /// <param name="targets">The first row's target.</param>
    /// <param name="ignoreIndex">The target value of an ignored row.</param>
    /// <returns>The targets as lanes.</returns>
    static abstract TVec LoadTargets(ref int targets, int ignoreIndex);

    /// <summary>All-ones lanes where <paramref name="left"/> equals <paramref name="right"/>.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>The mask.</returns>
    static abstract TVec Equals(TVec left, TVec right);

    /// <summary>Lanes of <paramref name="whenTrue"/> where the mask is set, else of <paramref name="whenFalse"/>.</summary>
    /// <param name="mask">The mask.</param>
    /// <param name="whenTrue">The lanes taken where the mask is set.</param>
    /// <param name="whenFalse">The other lanes.</param>
    /// <returns>The selection.</returns>
    static abstract TVec ConditionalSelect(TVec mask, TVec whenTrue, TVec whenFalse);

    /// <summary>Bitwise and.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>left &amp; right.</returns>
    static abstract TVec And(TVec left, TVec right);

    /// <summary>Bitwise and-not.</summary>
    /// <param name="left">The kept operand.</param>
    /// <param name="right">The mask of bits cleared.</param>
    /// <returns>left &amp; ~right.</returns>
    static abstract TVec AndNot(TVec left, TVec right);

    /// <summary>Lane-wise quotient.</summary>
    /// <param name="left">The dividend.</param>
    /// <param name="right">The divisor.</param>
    /// <returns>left / right.</returns>
    static abstract TVec Divide(TVec left, TVec right);

    /// <summary>The natural log of lanes of at least 1 (each row's sum of exps).</summary>
    /// <param name="value">Values of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    static abstract TVec LogAtLeastOne(TVec value);
}

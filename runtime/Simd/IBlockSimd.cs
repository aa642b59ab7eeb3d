using System.ComponentModel;
using System.Numerics;

namespace LsrGen.Simd;

/// <summary>
/// What the block kernels need beyond <see cref="ISimd{T, TVec}"/>: rows sit across the lanes there (one vector per
/// class), so a row's target, ignore flag and log-sum-exp are lanes too. Implemented for Vector512 and Vector256.
/// For generated code only: not intended to be implemented or called directly.
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

    /// <summary>The natural log of lanes of at least 1 (each row's sum of exps).</summary>
    /// <param name="value">Values of at least 1, or NaN.</param>
    /// <returns>The natural logarithm of each lane.</returns>
    static abstract TVec LogAtLeastOne(TVec value);
}

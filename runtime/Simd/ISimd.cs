using System.ComponentModel;
using System.Numerics;

namespace LsrGen.Simd;

/// <summary>
/// One SIMD width seen through static members, so that each row primitive is written once and the JIT
/// specialises it for Vector512, Vector256, Vector128 and plain scalars (a "vector" of one lane).
/// For generated code only: not intended to be implemented or called directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TVec">The vector type (or T itself for one lane).</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISimd<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
{
    /// <summary>Gets the number of lanes.</summary>
    static abstract int Count { get; }

    /// <summary>Gets a vector of zeros.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Returns <paramref name="value"/> in every lane.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The vector.</returns>
    static abstract TVec Broadcast(T value);

    /// <summary>Loads a vector from <paramref name="offset"/> elements past <paramref name="source"/>.</summary>
    /// <param name="source">The base.</param>
    /// <param name="offset">Elements past the base.</param>
    /// <returns>The vector.</returns>
    static abstract TVec Load(ref T source, nuint offset);

    /// <summary>Stores a vector at <paramref name="offset"/> elements past <paramref name="destination"/>.</summary>
    /// <param name="value">The vector.</param>
    /// <param name="destination">The base.</param>
    /// <param name="offset">Elements past the base.</param>
    static abstract void Store(TVec value, ref T destination, nuint offset);

    /// <summary>Lane-wise sum.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>left + right.</returns>
    static abstract TVec Add(TVec left, TVec right);

    /// <summary>Lane-wise difference.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>left - right.</returns>
    static abstract TVec Subtract(TVec left, TVec right);

    /// <summary>Lane-wise product.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>left * right.</returns>
    static abstract TVec Multiply(TVec left, TVec right);

    /// <summary>Lane-wise fused multiply-add.</summary>
    /// <param name="left">The first factor.</param>
    /// <param name="right">The second factor.</param>
    /// <param name="addend">The addend.</param>
    /// <returns>left * right + addend, rounded once.</returns>
    static abstract TVec MultiplyAdd(TVec left, TVec right, TVec addend);

    /// <summary>Max without IEEE NaN ordering: a NaN anywhere in a row still reaches the row's sum of exps.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>The lane-wise maximum.</returns>
    static abstract TVec MaxNative(TVec left, TVec right);

    /// <summary>e^x for x &lt;= 0 (or NaN): every exponent in a row kernel is x - max.</summary>
    /// <param name="value">Non-positive exponents.</param>
    /// <returns>e raised to each lane.</returns>
    static abstract TVec Exp(TVec value);

    /// <summary>Lanes at or after <paramref name="firstLane"/> take <paramref name="fresh"/>, the others <paramref name="old"/>.</summary>
    /// <param name="firstLane">The first lane taken from <paramref name="fresh"/>.</param>
    /// <param name="fresh">The new lanes.</param>
    /// <param name="old">The kept lanes.</param>
    /// <returns>The blend.</returns>
    static abstract TVec SelectFromLane(int firstLane, TVec fresh, TVec old);

    /// <summary>The largest lane.</summary>
    /// <param name="value">The vector.</param>
    /// <returns>Its maximum.</returns>
    static abstract T HorizontalMax(TVec value);

    /// <summary>The sum of the lanes.</summary>
    /// <param name="value">The vector.</param>
    /// <returns>Its sum.</returns>
    static abstract T HorizontalSum(TVec value);

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

    /// <summary>Lane-wise less-than: all-ones lanes where <paramref name="left"/> &lt; <paramref name="right"/>.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>The mask.</returns>
    static abstract TVec LessThan(TVec left, TVec right);

    /// <summary>Bitwise exclusive or.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>left ^ right.</returns>
    static abstract TVec Xor(TVec left, TVec right);

    /// <summary>The first lane.</summary>
    /// <param name="value">The vector.</param>
    /// <returns>Lane 0.</returns>
    static abstract T ToScalar(TVec value);

    /// <summary>Whether every lane of <paramref name="left"/> is less than the same lane of <paramref name="right"/>.</summary>
    /// <param name="left">The first operand.</param>
    /// <param name="right">The second operand.</param>
    /// <returns>True when all lanes compare less.</returns>
    static abstract bool AllLessThan(TVec left, TVec right);

    /// <summary>The first lane whose mask is set (a lane of a comparison's result), or -1 when none is.</summary>
    /// <param name="mask">A comparison's result: every lane all ones or all zeros.</param>
    /// <returns>The lane index, or -1.</returns>
    static abstract int FirstSetLane(TVec mask);

    /// <summary>
    /// Adds every lane of <paramref name="value"/>, widened to double, into two accumulators that hold double lanes in
    /// this vector's bits (the lower and upper halves' lanes of a float vector). Double lanes, and the one lane of the
    /// scalar width, cannot widen: they keep a compensated (Kahan) sum, its compensation in the second accumulator.
    /// </summary>
    /// <param name="value">The vector.</param>
    /// <param name="lower">The first accumulator.</param>
    /// <param name="upper">The second accumulator.</param>
    static abstract void AddWidened(TVec value, ref TVec lower, ref TVec upper);

    /// <summary>The sum of the double lanes of two <see cref="AddWidened"/> accumulators.</summary>
    /// <param name="lower">The first accumulator.</param>
    /// <param name="upper">The second accumulator.</param>
    /// <returns>Their lanes' sum.</returns>
    static abstract double SumWidened(TVec lower, TVec upper);
}

using System.Numerics;

namespace LsrGen.Simd;

/// <summary>
/// One SIMD width seen through static members, so that each row primitive is written once and the JIT
/// specialises it for Vector512, Vector256, Vector128 and plain scalars (a "vector" of one lane).
/// </summary>
internal interface ISimd<T, TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
{
    static abstract int Count { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(T value);
    static abstract TVec Load(ref T source, nuint offset);
    static abstract void Store(TVec value, ref T destination, nuint offset);
    static abstract TVec Add(TVec left, TVec right);
    static abstract TVec Subtract(TVec left, TVec right);
    static abstract TVec Multiply(TVec left, TVec right);
    static abstract TVec MultiplyAdd(TVec left, TVec right, TVec addend);

    /// <summary>Max without IEEE NaN ordering: a NaN anywhere in a row still reaches the row's sum of exps.</summary>
    static abstract TVec MaxNative(TVec left, TVec right);
    /// <summary>e^x for x &lt;= 0 (or NaN): every exponent in a row kernel is x - max.</summary>
    static abstract TVec Exp(TVec value);

    /// <summary>Lanes at or after <paramref name="firstLane"/> take <paramref name="fresh"/>, the others <paramref name="old"/>.</summary>
    static abstract TVec SelectFromLane(int firstLane, TVec fresh, TVec old);
    static abstract T HorizontalMax(TVec value);
    static abstract T HorizontalSum(TVec value);
}

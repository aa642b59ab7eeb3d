using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Simd;

internal readonly struct Simd512<T> : IBlockSimd<T, Vector512<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Count;
    }
    public static Vector512<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector512<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> left, Vector512<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> left, Vector512<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> left, Vector512<T> right, Vector512<T> addend) => LsrVectorMath.MultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MaxNative(Vector512<T> left, Vector512<T> right) => Vector512.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp(Vector512<T> value) => LsrVectorMath.ExpNonPositive(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectFromLane(int firstLane, Vector512<T> fresh, Vector512<T> old)
        => Vector512.ConditionalSelect(
            Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(firstLane))), fresh, old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalMax(Vector512<T> value)
        => Simd256<T>.HorizontalMax(Vector256.MaxNative(value.GetLower(), value.GetUpper()));

    // Halves added first (a tree): Vector512.Sum reduces each half on its own, 25 instructions for float against 8.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum(Vector512<T> value) => Simd256<T>.HorizontalSum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LoadTargets(ref int targets, int ignoreIndex)
    {
        if (typeof(T) == typeof(float))
        {
            Vector512<int> t = Vector512.LoadUnsafe(ref targets);
            t = Vector512.ConditionalSelect(Vector512.Equals(t, Vector512.Create(ignoreIndex)), Vector512.Create(-1), t);
            return Vector512.ConvertToSingle(t).As<float, T>();
        }

        Vector256<int> narrow = Vector256.LoadUnsafe(ref targets);
        narrow = Vector256.ConditionalSelect(Vector256.Equals(narrow, Vector256.Create(ignoreIndex)), Vector256.Create(-1), narrow);
        (Vector256<long> lower, Vector256<long> upper) = Vector256.Widen(narrow);
        return Vector512.ConvertToDouble(Vector512.Create(lower, upper)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equals(Vector512<T> left, Vector512<T> right) => Vector512.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ConditionalSelect(Vector512<T> mask, Vector512<T> whenTrue, Vector512<T> whenFalse)
        => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> And(Vector512<T> left, Vector512<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AndNot(Vector512<T> left, Vector512<T> right) => Vector512.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> left, Vector512<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogAtLeastOne(Vector512<T> value) => LsrVectorMath.LogAtLeastOne(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThan(Vector512<T> left, Vector512<T> right) => Vector512.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Xor(Vector512<T> left, Vector512<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ToScalar(Vector512<T> value) => value.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllLessThan(Vector512<T> left, Vector512<T> right) => Vector512.LessThanAll(left, right);
}

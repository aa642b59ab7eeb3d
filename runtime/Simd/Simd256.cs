using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Simd;

internal readonly struct Simd256<T> : IBlockSimd<T, Vector256<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Count;
    }
    public static Vector256<T> Zero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256<T>.Zero;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> left, Vector256<T> right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> left, Vector256<T> right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> left, Vector256<T> right, Vector256<T> addend) => LsrVectorMath.MultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxNative(Vector256<T> left, Vector256<T> right) => Vector256.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp(Vector256<T> value) => LsrVectorMath.ExpNonPositive(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectFromLane(int firstLane, Vector256<T> fresh, Vector256<T> old)
        => Vector256.ConditionalSelect(
            Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(T.CreateTruncating(firstLane))), fresh, old);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalMax(Vector256<T> value)
        => Simd128<T>.HorizontalMax(Vector128.MaxNative(value.GetLower(), value.GetUpper()));

    // Halves added first (a tree), as Simd512 does.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum(Vector256<T> value) => Simd128<T>.HorizontalSum(value.GetLower() + value.GetUpper());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LoadTargets(ref int targets, int ignoreIndex)
    {
        if (typeof(T) == typeof(float))
        {
            Vector256<int> t = Vector256.LoadUnsafe(ref targets);
            t = Vector256.ConditionalSelect(Vector256.Equals(t, Vector256.Create(ignoreIndex)), Vector256.Create(-1), t);
            return Vector256.ConvertToSingle(t).As<float, T>();
        }

        Vector128<int> narrow = Vector128.LoadUnsafe(ref targets);
        narrow = Vector128.ConditionalSelect(Vector128.Equals(narrow, Vector128.Create(ignoreIndex)), Vector128.Create(-1), narrow);
        (Vector128<long> lower, Vector128<long> upper) = Vector128.Widen(narrow);
        return Vector256.ConvertToDouble(Vector256.Create(lower, upper)).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equals(Vector256<T> left, Vector256<T> right) => Vector256.Equals(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ConditionalSelect(Vector256<T> mask, Vector256<T> whenTrue, Vector256<T> whenFalse)
        => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> And(Vector256<T> left, Vector256<T> right) => left & right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AndNot(Vector256<T> left, Vector256<T> right) => Vector256.AndNot(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> left, Vector256<T> right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogAtLeastOne(Vector256<T> value) => LsrVectorMath.LogAtLeastOne(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> left, Vector256<T> right) => Vector256.LessThan(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Xor(Vector256<T> left, Vector256<T> right) => left ^ right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ToScalar(Vector256<T> value) => value.ToScalar();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllLessThan(Vector256<T> left, Vector256<T> right) => Vector256.LessThanAll(left, right);
}

using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.Simd;

/// <summary>A one-lane "vector": the row primitives run unchanged as plain scalar code for rows narrower than a vector.</summary>
internal readonly struct Scalar<T> : ISimd<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;
    public static T Zero => T.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint offset) => Unsafe.Add(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint offset) => Unsafe.Add(ref destination, offset) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T left, T right) => left + right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T left, T right) => left - right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T left, T right) => left * right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T left, T right, T addend) => T.FusedMultiplyAdd(left, right, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxNative(T left, T right) => T.MaxNative(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T value) => T.Exp(value);

    // A whole row is covered by full one-lane steps, so a partial tail never happens.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SelectFromLane(int firstLane, T fresh, T old) => firstLane <= 0 ? fresh : old;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalMax(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T HorizontalSum(T value) => value;

    // Masks of one lane are T values whose bits are all ones (true) or all zeros (false), as in the vector types.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Equals(T left, T right) => Mask(left == right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ConditionalSelect(T mask, T whenTrue, T whenFalse) => Bits(mask) != 0 ? whenTrue : whenFalse;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T And(T left, T right) => FromBits(Bits(left) & Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T AndNot(T left, T right) => FromBits(Bits(left) & ~Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Divide(T left, T right) => left / right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LessThan(T left, T right) => Mask(left < right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Xor(T left, T right) => FromBits(Bits(left) ^ Bits(right));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ToScalar(T value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Mask(bool set) => FromBits(set ? -1L : 0L);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Bits(T value)
        => Unsafe.SizeOf<T>() == sizeof(float) ? Unsafe.BitCast<T, int>(value) : Unsafe.BitCast<T, long>(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromBits(long bits)
        => Unsafe.SizeOf<T>() == sizeof(float) ? Unsafe.BitCast<int, T>((int)bits) : Unsafe.BitCast<long, T>(bits);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AllLessThan(T left, T right) => left < right;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int FirstSetLane(T mask) => Bits(mask) != 0 ? 0 : -1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddWidened(T value, ref T lower, ref T upper)
    {
        // One lane: Kahan's compensated sum, lower the sum and upper the compensation.
        T term = value - upper;
        T next = lower + term;
        upper = (next - lower) - term;
        lower = next;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double SumWidened(T lower, T upper) => double.CreateTruncating(lower) - double.CreateTruncating(upper);
}

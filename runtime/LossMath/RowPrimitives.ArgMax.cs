using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <content>torch.argmax of one row.</content>
internal static partial class RowPrimitives<T, TS, TV>
{
    /// <summary>
    /// The index of the row's first maximum under IEEE comparison (-0 equals +0, so the first of them), the first
    /// NaN's index on a row holding NaN, 0 on a row of all -Inf: torch.argmax.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ArgMax(ref T x, int classes) => ArgMax(ref x, classes, out _);

    /// <summary>
    /// <see cref="ArgMax(ref T, int)"/>, and the row's max from the same pass (a loss pass's max, so that predictions
    /// cost no pass of their own): on a row holding NaN, NaN.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ArgMax(ref T x, int classes, out T rowMax)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;

        // One pass for the max and whether any lane is NaN (the max instruction's NaN result depends on operand order).
        TV top = TS.Load(ref x, 0);
        TV ordered = TS.Equals(top, top);
        nuint i = width;
        for (; i + width <= k; i += width)
        {
            TV v = TS.Load(ref x, i);
            top = TS.MaxNative(top, v);
            ordered = TS.And(ordered, TS.Equals(v, v));
        }

        if (i < k)
        {
            TV v = TS.Load(ref x, k - width);
            top = TS.MaxNative(top, v);
            ordered = TS.And(ordered, TS.Equals(v, v));
        }

        if (TS.FirstSetLane(TS.Xor(ordered, TS.Equals(TS.Zero, TS.Zero))) >= 0)
        {
            rowMax = T.NaN;
            return FirstNaN(ref x, classes);
        }

        // The first lane equal to the max; the overlapping tail's earlier lanes were already found unequal.
        rowMax = TS.HorizontalMax(top);
        TV max = TS.Broadcast(rowMax);
        for (i = 0; i + width <= k; i += width)
        {
            int lane = TS.FirstSetLane(TS.Equals(TS.Load(ref x, i), max));
            if (lane >= 0)
            {
                return (int)i + lane;
            }
        }

        return (int)(k - width) + TS.FirstSetLane(TS.Equals(TS.Load(ref x, k - width), max));
    }

    // Rows holding NaN are rare: out of line.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int FirstNaN(ref T x, int classes)
    {
        int i = 0;
        while (!T.IsNaN(Unsafe.Add(ref x, i)))
        {
            i++;
        }

        return i;
    }
}

using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <content>The backward of log-softmax and of softmax over one row, from the forward's output and its gradient.</content>
internal static partial class RowPrimitives<T, TS, TV>
{
    /// <summary>
    /// gx_k = gy_k - exp(y_k) * sum_j gy_j, with y a log-softmax row and gy its gradient; gx may be gy itself (in place),
    /// never y.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteLogSoftmaxBackward(ref T y, ref T gy, ref T gx, int classes)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV minusSum = TS.Broadcast(-SumOf(ref gy, ref gy, products: false, classes));
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TS.Store(TS.MultiplyAdd(TS.Exp(TS.Load(ref y, i)), minusSum, TS.Load(ref gy, i)), ref gx, i);
        }

        if (i < k)
        {
            // In place, the lanes before i already hold gx: they are recomputed from them but not stored.
            nuint start = k - width;
            TV fresh = TS.MultiplyAdd(TS.Exp(TS.Load(ref y, start)), minusSum, TS.Load(ref gy, start));
            TS.Store(TS.SelectFromLane((int)(i - start), fresh, TS.Load(ref gx, start)), ref gx, start);
        }
    }

    /// <summary>
    /// gx_k = p_k * (gp_k - sum_j gp_j * p_j), with p a softmax row and gp its gradient; gx may be gp itself (in place),
    /// never p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteSoftmaxBackward(ref T p, ref T gp, ref T gx, int classes)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV dot = TS.Broadcast(SumOf(ref gp, ref p, products: true, classes));
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TS.Store(TS.Multiply(TS.Load(ref p, i), TS.Subtract(TS.Load(ref gp, i), dot)), ref gx, i);
        }

        if (i < k)
        {
            nuint start = k - width;
            TV fresh = TS.Multiply(TS.Load(ref p, start), TS.Subtract(TS.Load(ref gp, start), dot));
            TS.Store(TS.SelectFromLane((int)(i - start), fresh, TS.Load(ref gx, start)), ref gx, start);
        }
    }

    /// <summary>
    /// sum_k a_k, or sum_k a_k * b_k with <paramref name="products"/> (a constant at each call), every term widened to
    /// double and added there, in two independent pairs of accumulators: a gradient term p_j * sum cancels against gy_j
    /// where p_j is near 1, so the sum must be good to about an ulp, which a float sum of K = 1000 terms is not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SumOf(ref T a, ref T b, bool products, int classes)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV lower0 = TS.Zero, upper0 = TS.Zero, lower1 = TS.Zero, upper1 = TS.Zero;

        // The remainder first, its lanes before `full` masked out.
        if (full < k)
        {
            nuint start = k - width;
            TS.AddWidened(TS.SelectFromLane((int)(full - start), Term(ref a, ref b, products, start), TS.Zero), ref lower1, ref upper1);
        }

        nuint i = 0;
        for (; i + (2 * width) <= full; i += 2 * width)
        {
            TS.AddWidened(Term(ref a, ref b, products, i), ref lower0, ref upper0);
            TS.AddWidened(Term(ref a, ref b, products, i + width), ref lower1, ref upper1);
        }

        if (i < full)
        {
            TS.AddWidened(Term(ref a, ref b, products, i), ref lower0, ref upper0);
        }

        return T.CreateTruncating(TS.SumWidened(lower0, upper0) + TS.SumWidened(lower1, upper1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Term(ref T a, ref T b, bool products, nuint offset)
        => products ? TS.Multiply(TS.Load(ref a, offset), TS.Load(ref b, offset)) : TS.Load(ref a, offset);
}

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
    /// sum_k a_k, or sum_k a_k * b_k with <paramref name="products"/> (a constant at each call), compensated lane by lane
    /// (Kahan) and the lanes added in double: a gradient term p_j * sum cancels against gy_j where p_j is near 1, so the
    /// sum must be good to about an ulp, which a plain float sum of K = 1000 terms is not.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SumOf(ref T a, ref T b, bool products, int classes)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);

        // The remainder goes first, as the first term.
        TV sum = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            TV tail = products ? TS.Multiply(TS.Load(ref a, start), TS.Load(ref b, start)) : TS.Load(ref a, start);
            sum = TS.SelectFromLane((int)(full - start), tail, TS.Zero);
        }

        TV compensation = TS.Zero;
        for (nuint i = 0; i < full; i += width)
        {
            TV term = products
                ? TS.Subtract(TS.Multiply(TS.Load(ref a, i), TS.Load(ref b, i)), compensation)
                : TS.Subtract(TS.Load(ref a, i), compensation);
            TV next = TS.Add(sum, term);
            compensation = TS.Subtract(TS.Subtract(next, sum), term);
            sum = next;
        }

        return T.CreateTruncating(TS.SumAsDouble(sum) - TS.SumAsDouble(compensation));
    }
}

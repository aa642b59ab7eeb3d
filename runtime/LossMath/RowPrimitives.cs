using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// The passes over one row of K classes, written once for every SIMD width. A row that is not a whole number of
/// vectors ends with one full vector placed at K - width whose already-handled lanes are masked out, so writes
/// stay correct in place (those lanes keep what the main loop stored).
/// Requires K >= TS.Count.
/// </summary>
internal static partial class RowPrimitives<T, TS, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TS : struct, ISimd<T, TV>
    where TV : struct
{
    /// <summary>
    /// Vectors summed in T before the block's total moves to a double, bounding float rounding for large K: each lane
    /// adds at most 64 terms in float (relative error below 4e-6 even in the worst case).
    /// </summary>
    private const int BlockVectors = 64;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max(ref T x, int classes) => Extremes(ref x, classes, withMagnitude: false, out _);

    /// <summary>The row's max, and in the same pass its largest |x| (a soft-cap's range test).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxAndMagnitude(ref T x, int classes, out T magnitude) => Extremes(ref x, classes, withMagnitude: true, out magnitude);

    // withMagnitude is a constant at each call, so Max compiles without the magnitude's chains.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Extremes(ref T x, int classes, bool withMagnitude, out T magnitude)
    {
        TV signBit = TS.Broadcast(T.NegativeZero);
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV acc = TS.Load(ref x, 0);
        TV top = withMagnitude ? TS.AndNot(acc, signBit) : acc;
        nuint i = width;
        if (k >= 4 * width)
        {
            // Four chains: with the row in L1 (prefetched), one chain would wait on each max's latency.
            TV acc1 = TS.Load(ref x, width);
            TV acc2 = TS.Load(ref x, 2 * width);
            TV acc3 = TS.Load(ref x, 3 * width);
            TV top1 = TS.AndNot(acc1, signBit);
            TV top2 = TS.AndNot(acc2, signBit);
            TV top3 = TS.AndNot(acc3, signBit);
            for (i = 4 * width; i + (4 * width) <= k; i += 4 * width)
            {
                TV v0 = TS.Load(ref x, i);
                TV v1 = TS.Load(ref x, i + width);
                TV v2 = TS.Load(ref x, i + (2 * width));
                TV v3 = TS.Load(ref x, i + (3 * width));
                acc = TS.MaxNative(acc, v0);
                acc1 = TS.MaxNative(acc1, v1);
                acc2 = TS.MaxNative(acc2, v2);
                acc3 = TS.MaxNative(acc3, v3);
                if (withMagnitude)
                {
                    top = TS.MaxNative(top, TS.AndNot(v0, signBit));
                    top1 = TS.MaxNative(top1, TS.AndNot(v1, signBit));
                    top2 = TS.MaxNative(top2, TS.AndNot(v2, signBit));
                    top3 = TS.MaxNative(top3, TS.AndNot(v3, signBit));
                }
            }

            acc = TS.MaxNative(TS.MaxNative(acc, acc1), TS.MaxNative(acc2, acc3));
            top = withMagnitude ? TS.MaxNative(TS.MaxNative(top, top1), TS.MaxNative(top2, top3)) : top;
        }

        for (; i + width <= k; i += width)
        {
            TV v = TS.Load(ref x, i);
            acc = TS.MaxNative(acc, v);
            top = withMagnitude ? TS.MaxNative(top, TS.AndNot(v, signBit)) : top;
        }

        if (i < k)
        {
            // Overlapping lanes are harmless for a max.
            TV v = TS.Load(ref x, k - width);
            acc = TS.MaxNative(acc, v);
            top = withMagnitude ? TS.MaxNative(top, TS.AndNot(v, signBit)) : top;
        }

        magnitude = withMagnitude ? TS.HorizontalMax(top) : T.Zero;
        return TS.HorizontalMax(acc);
    }

    /// <summary>sum_k exp(x_k - max).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumExp<TMap>(ref T x, int classes, T max, in LogitCap cap)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(max);

        // The remainder goes first, into the first block's accumulator: one horizontal sum fewer per row.
        TV acc = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            acc = TS.SelectFromLane((int)(full - start), TS.Exp(TS.Subtract(LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, start), cap), m)), TS.Zero);
        }

        double total = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                PrefetchNextRow(ref x, k, i);
                acc = TS.Add(acc, TS.Exp(TS.Subtract(LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, i), cap), m)));
            }

            total += double.CreateTruncating(TS.HorizontalSum(acc));
            acc = TS.Zero;
        }

        return T.CreateTruncating(total);
    }

    /// <summary>
    /// sum_k exp(x_k - max), and in the same pass <paramref name="shifted"/> = sum_k w_k * (x_k - max)
    /// (w_k = 1 when not <paramref name="weighted"/>), from which the smoothing term follows without another read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumExpAndShifted<TMap>(ref T x, ref T w, bool weighted, int classes, T max, in LogitCap cap, out T shifted)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(max);

        // The remainder goes first, into the first block's accumulators: two horizontal sums fewer per row.
        TV acc = TS.Zero;
        TV accShifted = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            int firstLane = (int)(full - start);
            TV d = TS.Subtract(LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, start), cap), m);
            acc = TS.SelectFromLane(firstLane, TS.Exp(d), TS.Zero);
            accShifted = TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, start), d) : d, TS.Zero);
        }

        double total = 0;
        double totalShifted = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            if (weighted)
            {
                for (nuint i = block; i < end; i += width)
                {
                    PrefetchNextRow(ref x, k, i);
                    TV d = TS.Subtract(TS.Load(ref x, i), m);
                    acc = TS.Add(acc, TS.Exp(d));
                    accShifted = TS.MultiplyAdd(TS.Load(ref w, i), d, accShifted);
                }
            }
            else
            {
                for (nuint i = block; i < end; i += width)
                {
                    PrefetchNextRow(ref x, k, i);
                    TV d = TS.Subtract(TS.Load(ref x, i), m);
                    acc = TS.Add(acc, TS.Exp(d));
                    accShifted = TS.Add(accShifted, d);
                }
            }

            total += double.CreateTruncating(TS.HorizontalSum(acc));
            totalShifted += double.CreateTruncating(TS.HorizontalSum(accShifted));
            acc = TS.Zero;
            accShifted = TS.Zero;
        }

        shifted = T.CreateTruncating(totalShifted);
        return T.CreateTruncating(total);
    }

    /// <summary>
    /// The fused gradient's first half: stores e_k = exp(x_k - max) into <paramref name="destination"/> (which may be x
    /// itself), returns sum_k e_k and sets <paramref name="shifted"/> = sum_k w_k (x_k - max), so exp runs once per element.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T StoreExpAndSum(ref T x, ref T w, bool weighted, ref T destination, int classes, T max, out T shifted)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(max);

        // The remainder goes first, into the first block's accumulators (two horizontal sums fewer per row). In place
        // that is safe: it writes only lanes from `full` on, which the main loop neither reads nor writes.
        TV acc = TS.Zero;
        TV accShifted = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            int firstLane = (int)(full - start);
            TV d = TS.Subtract(FreshLanes(ref x, start, firstLane, m), m);
            TV e = TS.Exp(d);
            acc = TS.SelectFromLane(firstLane, e, TS.Zero);
            accShifted = TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, start), d) : d, TS.Zero);
            TS.Store(TS.SelectFromLane(firstLane, e, TS.Load(ref destination, start)), ref destination, start);
        }

        double total = 0;
        double totalShifted = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            if (weighted)
            {
                for (nuint i = block; i < end; i += width)
                {
                    PrefetchNextRow(ref x, k, i);
                    TV d = TS.Subtract(TS.Load(ref x, i), m);
                    TV e = TS.Exp(d);
                    TS.Store(e, ref destination, i);
                    acc = TS.Add(acc, e);
                    accShifted = TS.MultiplyAdd(TS.Load(ref w, i), d, accShifted);
                }
            }
            else
            {
                for (nuint i = block; i < end; i += width)
                {
                    PrefetchNextRow(ref x, k, i);
                    TV d = TS.Subtract(TS.Load(ref x, i), m);
                    TV e = TS.Exp(d);
                    TS.Store(e, ref destination, i);
                    acc = TS.Add(acc, e);
                    accShifted = TS.Add(accShifted, d);
                }
            }

            total += double.CreateTruncating(TS.HorizontalSum(acc));
            totalShifted += double.CreateTruncating(TS.HorizontalSum(accShifted));
            acc = TS.Zero;
            accShifted = TS.Zero;
        }

        shifted = T.CreateTruncating(totalShifted);
        return T.CreateTruncating(total);
    }

    /// <summary>
    /// The fused gradient's second half: destination_k = destination_k * scale - offset * w_k (w_k = 1 unweighted), one
    /// fused multiply-add per vector (one rounding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleAndShift(ref T w, bool weighted, ref T destination, int classes, T scale, T offset)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV a = TS.Broadcast(scale);
        TV minusB = TS.Broadcast(-offset);
        nuint i = 0;
        if (weighted)
        {
            for (; i + width <= k; i += width)
            {
                TS.Store(TS.MultiplyAdd(minusB, TS.Load(ref w, i), TS.Multiply(TS.Load(ref destination, i), a)), ref destination, i);
            }
        }
        else
        {
            for (; i + width <= k; i += width)
            {
                TS.Store(TS.MultiplyAdd(TS.Load(ref destination, i), a, minusB), ref destination, i);
            }
        }

        if (i < k)
        {
            nuint start = k - width;
            TV old = TS.Load(ref destination, start);
            TS.Store(TS.SelectFromLane((int)(i - start), ScaleAndShift(old, a, minusB, weighted, ref w, start), old), ref destination, start);
        }
    }

    /// <summary>
    /// One vector of the gradient's scale and shift: e * a - b * w (w the class weights at <paramref name="offset"/>, 1
    /// unweighted) from <paramref name="minusB"/> = -b; unweighted one fused multiply-add (one rounding).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ScaleAndShift(TV e, TV a, TV minusB, bool weighted, ref T w, nuint offset)
        => weighted ? TS.MultiplyAdd(minusB, TS.Load(ref w, offset), TS.Multiply(e, a)) : TS.MultiplyAdd(e, a, minusB);

    /// <summary>accShifted + w * d (w the class weights at <paramref name="offset"/>, 1 unweighted): sum_k w_k (z_k - max), one vector on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV AddShifted(TV accShifted, TV d, bool weighted, ref T w, nuint offset)
        => weighted ? TS.MultiplyAdd(TS.Load(ref w, offset), d, accShifted) : TS.Add(accShifted, d);

    /// <summary>destination_k = (x_k - max) - logSum; destination may be x itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteLogProbabilities(ref T x, ref T destination, int classes, T max, T logSum)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV m = TS.Broadcast(max);
        TV ls = TS.Broadcast(logSum);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TS.Store(TS.Subtract(TS.Subtract(TS.Load(ref x, i), m), ls), ref destination, i);
        }

        if (i < k)
        {
            nuint start = k - width;
            TV fresh = TS.Subtract(TS.Subtract(TS.Load(ref x, start), m), ls);
            TS.Store(TS.SelectFromLane((int)(i - start), fresh, TS.Load(ref destination, start)), ref destination, start);
        }
    }

    /// <summary>destination_k = exp(x_k - max) * scale (softmax with scale 1/sum); destination may be x itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteScaledExp(ref T x, ref T destination, int classes, T max, T scale)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV m = TS.Broadcast(max);
        TV a = TS.Broadcast(scale);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TS.Store(TS.Multiply(TS.Exp(TS.Subtract(TS.Load(ref x, i), m)), a), ref destination, i);
        }

        if (i < k)
        {
            nuint start = k - width;
            TV fresh = TS.Multiply(TS.Exp(TS.Subtract(FreshLanes(ref x, start, (int)(i - start), m), m)), a);
            TS.Store(TS.SelectFromLane((int)(i - start), fresh, TS.Load(ref destination, start)), ref destination, start);
        }
    }

    /// <summary>destination_k = exp(x_k - max) * scale - gradientScale * w_k * q'_k; destination may be x itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteProbabilityGradient<TMap>(
        ref T x, ref T q, ref T w, bool weighted, ref T destination, int classes, T max, T scale, T gradientScale, T keep, T spread,
        in LogitCap cap)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV m = TS.Broadcast(max);
        TV a = TS.Broadcast(scale);
        TV g = TS.Broadcast(gradientScale);
        TV keepV = TS.Broadcast(keep);
        TV spreadV = TS.Broadcast(spread);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TV z = LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, i), cap, out TV slope);
            TV p = TS.Multiply(TS.Exp(TS.Subtract(z, m)), a);
            TV wq = SmoothedWeightedTarget(ref q, ref w, weighted, i, keepV, spreadV);
            TV gz = TS.Subtract(p, TS.Multiply(g, wq));
            TS.Store(typeof(TMap) == typeof(Uncapped) ? gz : TS.Multiply(gz, slope), ref destination, i);
        }

        if (i < k)
        {
            nuint start = k - width;
            TV z = LogitMap.Map<TMap, T, TS, TV>(TS.SelectFromLane((int)(i - start), TS.Load(ref x, start), TS.Zero), cap, out TV slope);
            TV p = TS.Multiply(TS.Exp(TS.Subtract(typeof(TMap) == typeof(Uncapped) ? FreshLanes(ref x, start, (int)(i - start), m) : z, m)), a);
            TV wq = SmoothedWeightedTarget(ref q, ref w, weighted, start, keepV, spreadV);
            TV fresh = TS.Subtract(p, TS.Multiply(g, wq));
            fresh = typeof(TMap) == typeof(Uncapped) ? fresh : TS.Multiply(fresh, slope);
            TS.Store(TS.SelectFromLane((int)(i - start), fresh, TS.Load(ref destination, start)), ref destination, start);
        }
    }

    /// <summary>
    /// Prefetches the next row (K elements on) at column <paramref name="i"/> from the first exp pass of this one, where
    /// the core is busy enough to hide the fetch. Only for vectors of at least 32 bytes: narrower ones would issue
    /// several prefetches per cache line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchNextRow(ref T x, nuint k, nuint i)
    {
        if (TS.Count * Unsafe.SizeOf<T>() >= 32)
        {
            LsrVectorMath.Prefetch(ref x, k + i);
        }
    }

    /// <summary>
    /// The tail vector of x with the lanes before <paramref name="firstLane"/> set to the row max: in place those lanes
    /// already hold outputs, and a vector exp may take a different (lane-coupled) path for them, changing fresh lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV FreshLanes(ref T x, nuint start, int firstLane, TV max)
        => TS.SelectFromLane(firstLane, TS.Load(ref x, start), max);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmoothedWeightedTarget(ref T q, ref T w, bool weighted, nuint offset, TV keep, TV spread)
    {
        TV smoothed = TS.MultiplyAdd(keep, TS.Load(ref q, offset), spread);
        return weighted ? TS.Multiply(TS.Load(ref w, offset), smoothed) : smoothed;
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>The passes the training-loop options add: the precise log of a sum near 1, capped gradients, Backward.</summary>
internal static partial class RowPrimitives<T, TS, TV>
{
    /// <summary>
    /// log(s) for a row's sum of exps s = sum_k exp(z_k - max), keeping its relative accuracy when s is near 1 (the row
    /// max holds almost all the mass, where the loss is tiny): below 2 exactly one class sits at the max, so
    /// s = 1 + r with r the sum over the others, summed again without the 1 and passed to log1p. Costs a second pass
    /// only on such rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogOfSum<TMap>(T sum, ref T x, int classes, T max, in LogitCap cap)
        where TMap : struct, ILogitMap
        => sum < T.CreateTruncating(2)
            ? LsrVectorMath.LogOnePlus(RestExp<TMap>(ref x, classes, max, cap))
            : LsrVectorMath.LogOfSum(sum);

    /// <summary>sum_k exp(z_k - max) over the classes whose z_k is not the max.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T RestExp<TMap>(ref T x, int classes, T max, in LogitCap cap)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(max);
        TV acc = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            TV z = LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, start), cap);
            acc = TS.SelectFromLane((int)(full - start), TS.AndNot(TS.Exp(TS.Subtract(z, m)), TS.Equals(z, m)), TS.Zero);
        }

        double total = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                TV z = LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, i), cap);
                acc = TS.Add(acc, TS.AndNot(TS.Exp(TS.Subtract(z, m)), TS.Equals(z, m)));
            }

            total += double.CreateTruncating(TS.HorizontalSum(acc));
            acc = TS.Zero;
        }

        return full == 0 ? TS.HorizontalSum(acc) : T.CreateTruncating(total);
    }

    /// <summary>
    /// The class-index gradient row from the logits: destination_k = (exp(z_k - shift) * scale - offset * w_k) * dz_k/dx_k
    /// (w_k = 1 unweighted); the caller then subtracts the target's term. shift is the row max (with scale / sum) or
    /// the given log-sum-exp (Backward). destination may be x itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteClassIndexGradient<TMap>(
        ref T x, ref T w, bool weighted, ref T destination, int classes, T shift, T scale, T offset, in LogitCap cap)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV m = TS.Broadcast(shift);
        TV a = TS.Broadcast(scale);
        TV minusB = TS.Broadcast(-offset);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TV z = LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, i), cap, out TV slope);
            TV e = TS.Exp(TS.Subtract(z, m));
            TV gz = ScaleAndShift(e, a, minusB, weighted, ref w, i);
            TS.Store(typeof(TMap) == typeof(Uncapped) ? gz : TS.Multiply(gz, slope), ref destination, i);
        }

        if (i < k)
        {
            nuint start = k - width;
            int firstLane = (int)(i - start);

            // Lanes before firstLane may already hold outputs (in place): give them the shift, a harmless exponent.
            TV z = LogitMap.Map<TMap, T, TS, TV>(TS.SelectFromLane(firstLane, TS.Load(ref x, start), m), cap, out TV slope);
            TV e = TS.Exp(TS.Subtract(TS.SelectFromLane(firstLane, z, m), m));
            TV gz = ScaleAndShift(e, a, minusB, weighted, ref w, start);
            TV fresh = typeof(TMap) == typeof(Uncapped) ? gz : TS.Multiply(gz, slope);
            TS.Store(TS.SelectFromLane(firstLane, fresh, TS.Load(ref destination, start)), ref destination, start);
        }
    }

    /// <summary>
    /// Backward's class-index row: <c>upstream * (p_j (keep w_t + spread W + 2 a w_t lse) - spread w_j - [j == t] keep w_t) dz_j/dx_j</c>
    /// with p_j = exp(z_j - lse), into <paramref name="destination"/> (which may be x itself). The target's term goes
    /// last, from its logit read first; <paramref name="targetColumn"/> is negative when the target lies in another
    /// vocabulary shard. <paramref name="w"/> is the row's (or shard's) first class weight, <paramref name="weightOfTarget"/> w_t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteClassIndexBackward<TMap>(
        ref T x, ref T w, bool weighted, ref T destination, int classes, int targetColumn, T weightOfTarget, T lse, T upstream,
        T keep, T spread, T weightTotal, T zLossScale, in LogitCap cap)
        where TMap : struct, ILogitMap
    {
        T targetSlope = T.One;
        if (targetColumn >= 0)
        {
            MapOne<TMap>(Unsafe.Add(ref x, targetColumn), cap, out targetSlope); // before an in-place write replaces it
        }

        T mass = ClassIndexTerms<T>.GradientMass(keep, spread, weightOfTarget, weightTotal, zLossScale, lse);
        WriteClassIndexGradient<TMap>(ref x, ref w, weighted, ref destination, classes, lse, upstream * mass, upstream * spread, cap);
        if (targetColumn >= 0)
        {
            Unsafe.Add(ref destination, targetColumn) -= upstream * keep * weightOfTarget * targetSlope;
        }
    }

    /// <summary>
    /// Backward's probability-target row: <c>upstream * (p_j (M + 2 a lse) - w_j q'_j) dz_j/dx_j</c> with
    /// M = sum_k w_k q'_k over the whole row (<paramref name="rowMass"/>, given: a vocabulary shard holds only part of q).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteProbabilityBackward<TMap>(
        ref T x, ref T q, ref T w, bool weighted, ref T destination, int classes, T rowMass, T lse, T upstream, T keep, T spread,
        T zLossScale, in LogitCap cap)
        where TMap : struct, ILogitMap
    {
        WriteProbabilityGradient<TMap>(ref x, ref q, ref w, weighted, ref destination, classes, lse, upstream * ProbabilityMass(rowMass, zLossScale, lse), upstream, keep, spread, cap);
    }

    /// <summary>
    /// sum_k exp(z_k - max) over soft-capped logits z_k = c tanh(x_k / c), and <paramref name="shifted"/> =
    /// sum_k w_k (z_k - max); stores z into <paramref name="destination"/> (which may be x itself) unless that is a null
    /// reference: the fused gradient of a row within the polynomial range then finishes from z (<see cref="ScaleCapped"/>),
    /// so the cap runs once per element.
    /// </summary>
    /// <remarks>
    /// <paramref name="near"/> says that every float logit of the row lies in the cap's polynomial range
    /// (<see cref="NearRow"/>): z then comes from the polynomial without a range test per vector (the same bits).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T SumCapped<TMap>(ref T x, ref T w, bool weighted, ref T destination, int classes, T max, in LogitCap cap, bool near, out T shifted)
        where TMap : struct, ILogitMap
        => near
            ? SumCappedRow<NearCapped>(ref x, ref w, weighted, ref destination, classes, max, cap, out shifted)
            : SumCappedRow<TMap>(ref x, ref w, weighted, ref destination, classes, max, cap, out shifted);

    // Compiled on its own: inlined into the row loop, the cap's code exhausted the loop's inlining budget.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T SumCappedRow<TMap>(ref T x, ref T w, bool weighted, ref T destination, int classes, T max, in LogitCap cap, out T shifted)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(max);

        // The remainder goes first (it writes only lanes from `full` on, which the main loop neither reads nor writes).
        TV acc = TS.Zero;
        TV accShifted = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            int firstLane = (int)(full - start);
            TV z = LogitMap.Map<TMap, T, TS, TV>(TS.SelectFromLane(firstLane, TS.Load(ref x, start), m), cap);
            TV d = TS.Subtract(z, m);
            acc = TS.SelectFromLane(firstLane, TS.Exp(d), TS.Zero);
            accShifted = TS.SelectFromLane(firstLane, weighted ? TS.Multiply(TS.Load(ref w, start), d) : d, TS.Zero);
            if (!Unsafe.IsNullRef(ref destination))
            {
                TS.Store(TS.SelectFromLane(firstLane, z, TS.Load(ref destination, start)), ref destination, start);
            }
        }

        double total = 0;
        double totalShifted = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                PrefetchNextRow(ref x, k, i);
                TV z = LogitMap.Map<TMap, T, TS, TV>(TS.Load(ref x, i), cap);
                TV d = TS.Subtract(z, m);
                if (!Unsafe.IsNullRef(ref destination))
                {
                    TS.Store(z, ref destination, i);
                }
                acc = TS.Add(acc, TS.Exp(d));
                accShifted = AddShifted(accShifted, d, weighted, ref w, i);
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
    /// The capped fused gradient's second half, over the z stored by <see cref="SumCapped"/>:
    /// destination_k = (exp(z_k - max) * scale - offset * w_k) * (1 - (z_k / c)^2). Only for rows within the cap's
    /// polynomial range, where tanh stays below 0.5 and 1 - (z / c)^2 does not cancel; past it the slope must come
    /// from x (<see cref="WriteClassIndexGradient"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleCapped(ref T w, bool weighted, ref T destination, int classes, T max, T scale, T offset, T inverseCap)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV m = TS.Broadcast(max);
        TV a = TS.Broadcast(scale);
        TV b = TS.Broadcast(offset);
        TV inverse = TS.Broadcast(inverseCap);
        TV one = TS.Broadcast(T.One);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            TV z = TS.Load(ref destination, i);
            TV r = TS.Multiply(z, inverse);
            TV gz = TS.Subtract(TS.Multiply(TS.Exp(TS.Subtract(z, m)), a), weighted ? TS.Multiply(b, TS.Load(ref w, i)) : b);
            TS.Store(TS.Multiply(gz, TS.Subtract(one, TS.Multiply(r, r))), ref destination, i);
        }

        if (i < k)
        {
            nuint start = k - width;
            int firstLane = (int)(i - start);
            TV old = TS.Load(ref destination, start);
            TV z = TS.SelectFromLane(firstLane, old, m);
            TV r = TS.Multiply(z, inverse);
            TV gz = TS.Subtract(TS.Multiply(TS.Exp(TS.Subtract(z, m)), a), weighted ? TS.Multiply(b, TS.Load(ref w, start)) : b);
            TS.Store(TS.SelectFromLane(firstLane, TS.Multiply(gz, TS.Subtract(one, TS.Multiply(r, r))), old), ref destination, start);
        }
    }

    /// <summary>sum_k w_k * q'_k with q'_k = keep * q_k + spread: the weight of a probability-target row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T TargetMass(ref T q, ref T w, bool weighted, int classes, T keep, T spread)
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV keepV = TS.Broadcast(keep);
        TV spreadV = TS.Broadcast(spread);
        TV mass = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            mass = TS.SelectFromLane((int)(full - start), SmoothedWeightedTarget(ref q, ref w, weighted, start, keepV, spreadV), TS.Zero);
        }

        double total = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                mass = TS.Add(mass, SmoothedWeightedTarget(ref q, ref w, weighted, i, keepV, spreadV));
            }

            total += double.CreateTruncating(TS.HorizontalSum(mass));
            mass = TS.Zero;
        }

        return T.CreateTruncating(total);
    }

    /// <summary>
    /// The largest z of a row (z is monotonic in x: z of the max) and, for a soft-cap, whether every logit lies in the
    /// cap's polynomial range (<see cref="NearRow"/>), from one pass.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxOfZ<TMap>(ref T x, int classes, in LogitCap cap, out bool near)
        where TMap : struct, ILogitMap
    {
        if (typeof(TMap) == typeof(Uncapped) || typeof(T) != typeof(float))
        {
            // Double rows never take the polynomial alone (NearRow), so their max pass skips the magnitude.
            near = false;
            return MapOne<TMap>(Max(ref x, classes), cap, out _);
        }

        T max = MaxAndMagnitude(ref x, classes, out T magnitude);
        near = NearRow(magnitude, cap);
        return MapOne<TMap>(max, cap, out _);
    }

    /// <summary>
    /// Whether every logit of a float row, whose largest |x| is <paramref name="magnitude"/>, lies in the soft-cap's
    /// polynomial range (<see cref="SoftcapMath{T, TS, TV}.Near"/>, tested with the same operations). Always false for
    /// double, whose polynomial covers less.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NearRow(T magnitude, in LogitCap cap)
        => typeof(T) == typeof(float) && SoftcapMath<T, Scalar<T>, T>.Near(magnitude, cap.InverseAs<T>(), out _, out _);

    /// <summary>z of one logit, computed as the vector passes compute it (so the same bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MapOne<TMap>(T x, in LogitCap cap, out T slope)
        where TMap : struct, ILogitMap
    {
        if (typeof(TMap) == typeof(Uncapped))
        {
            slope = T.One;
            return x;
        }

        return CapOne<TMap>(x, cap, out slope);
    }

    // Out of line: a few calls per row, and inlined copies of the cap would use up the row loop's inlining budget.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static T CapOne<TMap>(T x, in LogitCap cap, out T slope)
        where TMap : struct, ILogitMap
    {
        TV z = LogitMap.Map<TMap, T, TS, TV>(TS.Broadcast(x), cap, out TV s);
        slope = TS.ToScalar(s);
        return TS.ToScalar(z);
    }
}

using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// The passes of the option rows (temperature, entropy and the per-row outputs of version 0.3). A logit enters as
/// its exponent a = (cap(x) - pre) / tau - post: pre is the capped row max (forward, fused) or 0 (Backward), post is
/// 0 (the statistics), log s (the fused gradient: a = log p) or the saved lse (Backward: a = log p). Subtracting the
/// capped max before scaling by 1 / tau keeps z - max exact where z itself is large; Backward, which has no max,
/// divides by tau (one rounding of z: the rounded 1 / tau would move z by 6e-8 relative, p by 1e-5 at z ~ 150).
/// </summary>
internal static partial class RowPrimitives<T, TS, TV>
{
    /// <summary>
    /// One pass over a row at its capped max: returns s = sum_k exp(d_k), d_k = (cap(x_k) - max) / tau; with
    /// <typeparamref name="TEntropy"/> also <paramref name="entropySum"/> E = sum_k exp(d_k) (-d_k) (every term at least
    /// 0; a class with exp(d_k) = 0 adds 0, also where d_k is -Inf), so that H = E / s + log s; with
    /// <paramref name="withShifted"/> also <paramref name="shifted"/> = sum_k w_k d_k (the smoothing term). With
    /// <typeparamref name="TStore"/> each exp(d_k) also goes to <paramref name="exps"/> (not x itself), for
    /// <see cref="WriteOptionGradientFromExps"/>: the fused pass then takes one exp per logit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OptionStatistics<TMap, TTempered, TEntropy, TStore>(
        ref T x, ref T w, bool weighted, int classes, T cappedMax, in LogitCap cap, T inverseTemperature, bool withShifted, out T entropySum,
        out T shifted, ref T exps)
        where TMap : struct, ILogitMap
        where TTempered : struct, IFlag
        where TEntropy : struct, IFlag
        where TStore : struct, IFlag
    {
        bool tempered = TTempered.IsSet;
        bool withEntropy = TEntropy.IsSet;
        bool store = TStore.IsSet;
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(cappedMax);
        TV tau = TS.Broadcast(inverseTemperature);
        TV sum = TS.Zero;
        TV entropy = TS.Zero;
        TV shift = TS.Zero;
        if (full < k)
        {
            // The remainder first, into the first block's accumulators, as the other reductions do. Its lanes before
            // firstLane enter as the max (the fused pass in place sees them so: a vector exp may couple its lanes).
            nuint start = k - width;
            int firstLane = (int)(full - start);
            TV d = Exponent<TMap>(TS.SelectFromLane(firstLane, TS.Load(ref x, start), m), cap, m, tau, tempered);
            TV e = TS.Exp(d);
            if (store)
            {
                TS.Store(e, ref exps, start);
            }

            sum = TS.SelectFromLane(firstLane, e, TS.Zero);
            entropy = withEntropy ? TS.SelectFromLane(firstLane, EntropyTerm(e, d), TS.Zero) : entropy;
            shift = withShifted ? TS.SelectFromLane(firstLane, Weighted(d, weighted, ref w, start), TS.Zero) : shift;
        }

        double total = 0;
        double totalEntropy = 0;
        double totalShifted = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                PrefetchNextRow(ref x, k, i);
                TV d = Exponent<TMap>(TS.Load(ref x, i), cap, m, tau, tempered);
                TV e = TS.Exp(d);
                if (store)
                {
                    TS.Store(e, ref exps, i);
                }

                sum = TS.Add(sum, e);
                entropy = withEntropy ? TS.Add(entropy, EntropyTerm(e, d)) : entropy;
                shift = withShifted ? TS.Add(shift, Weighted(d, weighted, ref w, i)) : shift;
            }

            total += double.CreateTruncating(TS.HorizontalSum(sum));
            totalEntropy += withEntropy ? double.CreateTruncating(TS.HorizontalSum(entropy)) : 0;
            totalShifted += withShifted ? double.CreateTruncating(TS.HorizontalSum(shift)) : 0;
            sum = TS.Zero;
            entropy = TS.Zero;
            shift = TS.Zero;
        }

        if (full == 0)
        {
            total = double.CreateTruncating(TS.HorizontalSum(sum));
            totalEntropy = double.CreateTruncating(TS.HorizontalSum(entropy));
            totalShifted = double.CreateTruncating(TS.HorizontalSum(shift));
        }

        entropySum = T.CreateTruncating(totalEntropy);
        shifted = T.CreateTruncating(totalShifted);
        return T.CreateTruncating(total);
    }

    /// <summary>
    /// log s for <see cref="OptionStatistics"/>'s s, keeping its relative accuracy near s = 1: below 2 one class holds the
    /// max alone, and log1p of the others' sum is taken (a second pass on such rows only).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OptionLogOfSum<TMap>(T sum, ref T x, int classes, T cappedMax, in LogitCap cap, T inverseTemperature, bool tempered)
        where TMap : struct, ILogitMap
        => sum < T.CreateTruncating(2)
            ? LsrVectorMath.LogOnePlus(OptionRestExp<TMap>(ref x, classes, cappedMax, cap, inverseTemperature, tempered))
            : LsrVectorMath.LogOfSum(sum);

    /// <summary>
    /// Returns sum_k w_k q'_k (d_k - log s) with q'_k = keep q_k + spread, and sets <paramref name="targetMass"/> =
    /// sum_k w_k q'_k: a probability-target row's cross term and gradient mass, for every pass with probability targets
    /// (without a temperature, d_k = cap(x_k) - max).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OptionCrossTerms<TMap>(
        ref T x, ref T q, ref T w, bool weighted, int classes, T cappedMax, in LogitCap cap, T inverseTemperature, bool tempered,
        T logSum, T keep, T spread, out T targetMass)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(cappedMax);
        TV tau = TS.Broadcast(inverseTemperature);
        TV ls = TS.Broadcast(logSum);
        TV keepV = TS.Broadcast(keep);
        TV spreadV = TS.Broadcast(spread);
        TV acc = TS.Zero;
        TV mass = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            int firstLane = (int)(full - start);
            TV wq = SmoothedWeightedTarget(ref q, ref w, weighted, start, keepV, spreadV);
            TV logp = TS.Subtract(Exponent<TMap>(TS.Load(ref x, start), cap, m, tau, tempered), ls);
            acc = TS.SelectFromLane(firstLane, TS.Multiply(wq, logp), TS.Zero);
            mass = TS.SelectFromLane(firstLane, wq, TS.Zero);
        }

        double total = 0;
        double totalMass = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                TV wq = SmoothedWeightedTarget(ref q, ref w, weighted, i, keepV, spreadV);
                TV logp = TS.Subtract(Exponent<TMap>(TS.Load(ref x, i), cap, m, tau, tempered), ls);
                acc = TS.Add(acc, TS.Multiply(wq, logp));
                mass = TS.Add(mass, wq);
            }

            total += double.CreateTruncating(TS.HorizontalSum(acc));
            totalMass += double.CreateTruncating(TS.HorizontalSum(mass));
            acc = TS.Zero;
            mass = TS.Zero;
        }

        if (full == 0)
        {
            total = double.CreateTruncating(TS.HorizontalSum(acc));
            totalMass = double.CreateTruncating(TS.HorizontalSum(mass));
        }

        targetMass = T.CreateTruncating(totalMass);
        return T.CreateTruncating(total);
    }

    /// <summary>
    /// Backward's H from a saved log-sum-exp: <c>lse - sum_k p_k z_k</c> with p_k = exp(z_k - lse), z = cap(x) / tau (a
    /// class with p_k = 0 adding 0), as <c>lse (1 - sum_k p_k) - sum_k p_k (z_k - lse)</c> from sums widened to double,
    /// so that log p_j + H = z_j - sum_k p_k z_k. The first term scales every rounding of p by lse: float rows are
    /// summed in double (<see cref="WidenedEntropy"/>), double ones with compensated sums.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T EntropyAt<TMap>(ref T x, int classes, T lse, in LogitCap cap, T temperature, bool tempered)
        where TMap : struct, ILogitMap
    {
        if (typeof(T) == typeof(float))
        {
            return T.CreateTruncating(WidenedEntropy.Row<TV>(
                ref Unsafe.As<T, float>(ref x), classes, cap, typeof(TMap) != typeof(Uncapped), double.CreateTruncating(temperature), tempered, double.CreateTruncating(lse)));
        }

        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV tau = TS.Broadcast(temperature);
        TV post = TS.Broadcast(lse);
        TV massLower = TS.Zero, massUpper = TS.Zero, termLower = TS.Zero, termUpper = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            int firstLane = (int)(full - start);
            TV a = SavedLogProbability<TMap>(TS.Load(ref x, start), cap, tau, tempered, post);
            TV p = TS.Exp(a);
            TS.AddWidened(TS.SelectFromLane(firstLane, p, TS.Zero), ref massLower, ref massUpper);
            TS.AddWidened(TS.SelectFromLane(firstLane, EntropyTerm(p, a), TS.Zero), ref termLower, ref termUpper);
        }

        for (nuint i = 0; i < full; i += width)
        {
            TV a = SavedLogProbability<TMap>(TS.Load(ref x, i), cap, tau, tempered, post);
            TV p = TS.Exp(a);
            TS.AddWidened(p, ref massLower, ref massUpper);
            TS.AddWidened(EntropyTerm(p, a), ref termLower, ref termUpper);
        }

        double mass = TS.SumWidened(massLower, massUpper);
        return T.CreateTruncating((double.CreateTruncating(lse) * (1 - mass)) + TS.SumWidened(termLower, termUpper));
    }

    /// <summary>
    /// Backward's option row, for the row loops and a vocabulary shard alike: the gradient of
    /// <c>upstream * loss + entropyGradient * H</c> with p_j = exp(z_j - lse), z = cap(x) / tau, into
    /// <paramref name="destination"/> (which may be x itself). <paramref name="targetColumn"/> is the class-index target's
    /// column, or negative (probability targets, or a shard that does not hold the target). <paramref name="rowMass"/> is
    /// sum_k w_k q'_k over the whole row (probability targets; a shard holds only part of q). A saved lse known beyond
    /// T's precision (a shard's, from double partials) comes as <paramref name="lse"/> plus <paramref name="lseLow"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteOptionBackward<TMap>(
        ref T x, ref T q, ref T w, bool weighted, bool probabilities, ref T destination, int classes, int targetColumn, T targetWeight,
        T rowMass, T weightTotal, T zLossScale, T lse, T lseLow, T upstream, T entropyScale, bool withEntropy, T entropyGradient, T entropy,
        T keep, T spread, in LogitCap cap, T temperature, bool tempered)
        where TMap : struct, ILogitMap
    {
        T targetSlope = T.One;
        if (targetColumn >= 0)
        {
            OptionExponent<TMap>(Unsafe.Add(ref x, targetColumn), T.Zero, cap, temperature, divide: true, tempered, out targetSlope); // before an in-place write replaces it
        }

        // d(upstream loss + entropyGradient H)/dz = upstream gz + (entropyGradient - upstream b w) dH/dz; with b = 0 no
        // 0 * upstream (which may be NaN).
        T hScale = entropyScale != T.Zero ? entropyGradient - (upstream * entropyScale * targetWeight) : entropyGradient;
        T mass = probabilities ? ProbabilityMass(rowMass, zLossScale, lse) : ClassIndexTerms<T>.GradientMass(keep, spread, targetWeight, weightTotal, zLossScale, lse);
        WriteOptionGradient<TMap>(
            ref x, ref q, ref w, weighted, probabilities, ref destination, classes, lse, lseLow, cap, temperature, tempered, upstream * mass, withEntropy,
            hScale, entropy, probabilities ? upstream : upstream * spread, keep, spread);
        if (targetColumn >= 0)
        {
            Unsafe.Add(ref destination, targetColumn) -= upstream * keep * targetWeight * targetSlope;
        }
    }

    /// <summary>A probability-target row's gradient mass: sum_k w_k q'_k, plus 2 a lse under z-loss.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ProbabilityMass(T mass, T zLossScale, T lse)
        => zLossScale != T.Zero ? mass + (T.CreateTruncating(2) * zLossScale * lse) : mass;

    /// <summary>
    /// Backward's gradient row, into <paramref name="destination"/> (which may be x itself):
    /// <c>(p_j pMass - hScale p_j (log p_j + H) - offset w_j [q'_j]) dz_j/dx_j / tau</c>, log p_j = cap(x_j) / tau - lse,
    /// p_j = exp(log p_j); the entropy term is 0 where p_j is 0 and is left out when <paramref name="withEntropy"/> is
    /// false. With <paramref name="probabilities"/> the offset is weighted by q'_j = keep q_j + spread.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteOptionGradient<TMap>(
        ref T x, ref T q, ref T w, bool weighted, bool probabilities, ref T destination, int classes, T lse, T lseLow, in LogitCap cap,
        T temperature, bool tempered, T pMass, bool withEntropy, T hScale, T entropy, T offset, T keep, T spread)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV post = TS.Broadcast(lse);
        TV low = TS.Broadcast(lseLow);
        TV tau = TS.Broadcast(temperature);
        TV mass = TS.Broadcast(pMass);
        TV hs = TS.Broadcast(hScale);
        TV h = TS.Broadcast(entropy);
        TV off = TS.Broadcast(offset);
        TV keepV = TS.Broadcast(keep);
        TV spreadV = TS.Broadcast(spread);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            // OptionGradient's body, written out: a call with this many vector arguments is not inlined, and a call per
            // vector costs more than the exp.
            TV x0 = TS.Load(ref x, i);
            LogitMap.Map<TMap, T, TS, TV>(x0, cap, out TV slope);
            TV logp = TS.Subtract(SavedLogProbability<TMap>(x0, cap, tau, tempered, post), low);
            TV p = TS.Exp(logp);
            TV gz = TS.Multiply(p, mass);
            if (withEntropy)
            {
                gz = TS.Subtract(gz, TS.AndNot(TS.Multiply(TS.Multiply(hs, p), TS.Add(logp, h)), TS.Equals(p, TS.Zero)));
            }

            gz = TS.Subtract(gz, TS.Multiply(off, probabilities ? SmoothedWeightedTarget(ref q, ref w, weighted, i, keepV, spreadV) : weighted ? TS.Load(ref w, i) : TS.Broadcast(T.One)));
            gz = typeof(TMap) != typeof(Uncapped) ? TS.Multiply(gz, slope) : gz;
            TS.Store(tempered ? TS.Divide(gz, tau) : gz, ref destination, i);
        }

        if (i < k)
        {
            // Lanes before firstLane may already hold outputs (in place): they enter as 0, a harmless logit, and keep
            // what was stored.
            nuint start = k - width;
            int firstLane = (int)(i - start);
            TV fresh = OptionGradient<TMap>(TS.SelectFromLane(firstLane, TS.Load(ref x, start), TS.Zero), ref q, ref w, weighted, probabilities, start, post, low, cap, tau, tempered, mass, withEntropy, hs, h, off, keepV, spreadV);
            TS.Store(TS.SelectFromLane(firstLane, fresh, TS.Load(ref destination, start)), ref destination, start);
        }
    }

    /// <summary>
    /// The fused pass's gradient row, <see cref="WriteOptionGradient"/>'s terms with p_j = exp(d_j) / s: from the exps <see cref="OptionStatistics"/>
    /// stored in <paramref name="destination"/> (no exp of its own; x is read again only for the entropy term's
    /// log p_j = d_j - log s and a soft-cap's slope), or, with <typeparamref name="TRecompute"/> (in place, where x is
    /// <paramref name="destination"/>), from exps recomputed as the statistics computed them: the same bits either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void WriteOptionGradientFromExps<TMap, TTempered, TEntropy, TRecompute>(
        ref T x, ref T q, ref T w, bool weighted, bool probabilities, ref T destination, int classes, T cappedMax, T logSum, T inverseSum,
        in LogitCap cap, T inverseTemperature, T pMass, T hScale, T entropy, T offset, T keep, T spread)
        where TMap : struct, ILogitMap
        where TTempered : struct, IFlag
        where TEntropy : struct, IFlag
        where TRecompute : struct, IFlag
    {
        bool tempered = TTempered.IsSet;
        bool withEntropy = TEntropy.IsSet;
        bool recompute = TRecompute.IsSet;
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        TV m = TS.Broadcast(cappedMax);
        TV ls = TS.Broadcast(logSum);
        TV invS = TS.Broadcast(inverseSum);
        TV tau = TS.Broadcast(inverseTemperature);
        TV mass = TS.Broadcast(pMass);
        TV hs = TS.Broadcast(hScale);
        TV h = TS.Broadcast(entropy);
        TV off = TS.Broadcast(offset);
        TV keepV = TS.Broadcast(keep);
        TV spreadV = TS.Broadcast(spread);
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            // GradientFromExp's body, written out (see WriteOptionGradient).
            TV x0 = TS.Load(ref x, i);
            TV p = TS.Multiply(recompute ? TS.Exp(Exponent<TMap>(x0, cap, m, tau, tempered)) : TS.Load(ref destination, i), invS);
            TV gz = TS.Multiply(p, mass);
            TV slope = TS.Broadcast(T.One);
            if (withEntropy || typeof(TMap) != typeof(Uncapped))
            {
                TV z = LogitMap.Map<TMap, T, TS, TV>(x0, cap, out slope);
                if (withEntropy)
                {
                    TV d = TS.Subtract(z, m);
                    TV logp = TS.Subtract(tempered ? TS.Multiply(d, tau) : d, ls);
                    gz = TS.Subtract(gz, TS.AndNot(TS.Multiply(TS.Multiply(hs, p), TS.Add(logp, h)), TS.Equals(p, TS.Zero)));
                }
            }

            gz = TS.Subtract(gz, TS.Multiply(off, probabilities ? SmoothedWeightedTarget(ref q, ref w, weighted, i, keepV, spreadV) : weighted ? TS.Load(ref w, i) : TS.Broadcast(T.One)));
            gz = typeof(TMap) != typeof(Uncapped) ? TS.Multiply(gz, slope) : gz;
            TS.Store(tempered ? TS.Multiply(gz, tau) : gz, ref destination, i);
        }

        if (i < k)
        {
            // The lanes before firstLane already hold gradients: they enter as the max, as in the statistics' tail, and
            // keep what was stored.
            nuint start = k - width;
            int firstLane = (int)(i - start);
            TV old = TS.Load(ref destination, start);
            TV xt = TS.SelectFromLane(firstLane, TS.Load(ref x, start), m);
            TV e = recompute ? TS.Exp(Exponent<TMap>(xt, cap, m, tau, tempered)) : old;
            TV fresh = GradientFromExp<TMap>(xt, ref q, ref w, weighted, probabilities, e, start, m, ls, invS, cap, tau, tempered, mass, withEntropy, hs, h, off, keepV, spreadV);
            TS.Store(TS.SelectFromLane(firstLane, fresh, old), ref destination, start);
        }
    }

    /// <summary>(cap(x) - pre) / tau of one logit and its slope, as the vector passes compute them (so the same bits): <paramref name="temperature"/> is tau when <paramref name="divide"/> (Backward), else 1 / tau.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T OptionExponent<TMap>(T x, T pre, in LogitCap cap, T temperature, bool divide, bool tempered, out T slope)
        where TMap : struct, ILogitMap
    {
        T d = MapOne<TMap>(x, cap, out slope) - pre;
        if (tempered)
        {
            d = divide ? d / temperature : d * temperature;
            slope = divide ? slope / temperature : slope * temperature;
        }

        return d;
    }

    /// <summary>sum_k exp(d_k) over the classes whose d_k is not 0 (the max's): <see cref="OptionLogOfSum"/>'s r, and a shard's rest.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T OptionRestExp<TMap>(ref T x, int classes, T cappedMax, in LogitCap cap, T inverseTemperature, bool tempered)
        where TMap : struct, ILogitMap
    {
        nuint k = (nuint)classes;
        nuint width = (nuint)TS.Count;
        nuint full = k - (k % width);
        TV m = TS.Broadcast(cappedMax);
        TV tau = TS.Broadcast(inverseTemperature);
        TV acc = TS.Zero;
        if (full < k)
        {
            nuint start = k - width;
            TV d = Exponent<TMap>(TS.Load(ref x, start), cap, m, tau, tempered);
            acc = TS.SelectFromLane((int)(full - start), TS.AndNot(TS.Exp(d), TS.Equals(d, TS.Zero)), TS.Zero);
        }

        double total = 0;
        for (nuint block = 0; block < full; block += width * BlockVectors)
        {
            nuint end = Math.Min(full, block + (width * BlockVectors));
            for (nuint i = block; i < end; i += width)
            {
                TV d = Exponent<TMap>(TS.Load(ref x, i), cap, m, tau, tempered);
                acc = TS.Add(acc, TS.AndNot(TS.Exp(d), TS.Equals(d, TS.Zero)));
            }

            total += double.CreateTruncating(TS.HorizontalSum(acc));
            acc = TS.Zero;
        }

        return full == 0 ? TS.HorizontalSum(acc) : T.CreateTruncating(total);
    }

    // The tail vector's gradient (WriteOptionGradient's loop writes the same steps out): once per row, so a call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV OptionGradient<TMap>(
        TV x, ref T q, ref T w, bool weighted, bool probabilities, nuint offset, TV lse, TV lseLow, in LogitCap cap, TV tau, bool tempered,
        TV mass, bool withEntropy, TV hScale, TV entropy, TV off, TV keep, TV spread)
        where TMap : struct, ILogitMap
    {
        LogitMap.Map<TMap, T, TS, TV>(x, cap, out TV slope);
        TV logp = TS.Subtract(SavedLogProbability<TMap>(x, cap, tau, tempered, lse), lseLow);
        TV p = TS.Exp(logp);
        TV gz = TS.Multiply(p, mass);
        if (withEntropy)
        {
            TV bonus = TS.Multiply(TS.Multiply(hScale, p), TS.Add(logp, entropy));
            gz = TS.Subtract(gz, TS.AndNot(bonus, TS.Equals(p, TS.Zero)));
        }

        TV share = probabilities ? SmoothedWeightedTarget(ref q, ref w, weighted, offset, keep, spread) : weighted ? TS.Load(ref w, offset) : TS.Broadcast(T.One);
        gz = TS.Subtract(gz, TS.Multiply(off, share));
        if (typeof(TMap) != typeof(Uncapped))
        {
            gz = TS.Multiply(gz, slope);
        }

        return tempered ? TS.Divide(gz, tau) : gz;
    }

    // The tail vector's gradient from its exps (WriteOptionGradientFromExps' loop writes the same steps out).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV GradientFromExp<TMap>(
        TV x, ref T q, ref T w, bool weighted, bool probabilities, TV e, nuint offset, TV max, TV logSum, TV inverseSum, in LogitCap cap, TV tau,
        bool tempered, TV mass, bool withEntropy, TV hScale, TV entropy, TV off, TV keep, TV spread)
        where TMap : struct, ILogitMap
    {
        TV p = TS.Multiply(e, inverseSum);
        TV gz = TS.Multiply(p, mass);
        TV slope = TS.Broadcast(T.One);
        if (withEntropy || typeof(TMap) != typeof(Uncapped))
        {
            TV z = LogitMap.Map<TMap, T, TS, TV>(x, cap, out slope);
            if (withEntropy)
            {
                TV d = TS.Subtract(z, max);
                TV logp = TS.Subtract(tempered ? TS.Multiply(d, tau) : d, logSum);
                TV bonus = TS.Multiply(TS.Multiply(hScale, p), TS.Add(logp, entropy));
                gz = TS.Subtract(gz, TS.AndNot(bonus, TS.Equals(p, TS.Zero)));
            }
        }

        TV share = probabilities ? SmoothedWeightedTarget(ref q, ref w, weighted, offset, keep, spread) : weighted ? TS.Load(ref w, offset) : TS.Broadcast(T.One);
        gz = TS.Subtract(gz, TS.Multiply(off, share));
        if (typeof(TMap) != typeof(Uncapped))
        {
            gz = TS.Multiply(gz, slope);
        }

        return tempered ? TS.Multiply(gz, tau) : gz;
    }

    // d = (cap(x) - pre) / tau, as a multiply by 1 / tau.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Exponent<TMap>(TV x, in LogitCap cap, TV pre, TV tau, bool tempered)
        where TMap : struct, ILogitMap
    {
        TV d = TS.Subtract(LogitMap.Map<TMap, T, TS, TV>(x, cap), pre);
        return tempered ? TS.Multiply(d, tau) : d;
    }

    // Backward's log p = cap(x) / tau - lse (soft-capped float logits: in double, rounded once).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SavedLogProbability<TMap>(TV x, in LogitCap cap, TV tau, bool tempered, TV lse)
        where TMap : struct, ILogitMap
        => typeof(T) == typeof(float) && typeof(TMap) != typeof(Uncapped)
            ? cap.SavedLogProbability(x, double.CreateTruncating(TS.ToScalar(tau)), double.CreateTruncating(TS.ToScalar(lse)))
            : CompensatedQuotient(LogitMap.Map<TMap, T, TS, TV>(x, cap), tau, tempered, lse);

    // z / tau - lse with the quotient's rounding error added back (the remainder z - q tau is exact with a fused
    // multiply-add): at |z / tau| ~ 300 a float quotient alone would move p by 1.5e-5.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV CompensatedQuotient(TV z, TV tau, bool tempered, TV lse)
    {
        if (!tempered)
        {
            return TS.Subtract(z, lse);
        }

        TV q = TS.Divide(z, tau);
        TV correction = TS.Divide(TS.MultiplyAdd(TS.Subtract(TS.Zero, q), tau, z), tau);
        TV a = TS.Subtract(q, lse);

        // An infinite quotient has no remainder (Inf - Inf): it keeps q - lse.
        return TS.ConditionalSelect(TS.Equals(correction, correction), TS.Add(a, correction), a);
    }

    // exp(d) * -d, 0 where exp(d) is 0 (no 0 * Inf).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV EntropyTerm(TV e, TV d) => TS.AndNot(TS.Multiply(e, TS.Subtract(TS.Zero, d)), TS.Equals(e, TS.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Weighted(TV d, bool weighted, ref T w, nuint offset) => weighted ? TS.Multiply(TS.Load(ref w, offset), d) : d;
}

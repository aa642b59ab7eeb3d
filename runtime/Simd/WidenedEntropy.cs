using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Simd;

/// <summary>
/// Backward's entropy of a float row from a saved log-sum-exp, computed in double: each float vector widened to two
/// double ones, z = cap(x) / tau, a = z - lse, p = e^a, then H = lse (1 - sum_k p_k) - sum_k p_k a_k. That form (from
/// which log p_j + H = z_j - sum_k p_k z_k) scales every error of p by lse: the float exp's 2e-6 at a = -20 would move
/// H by 4e-5 at lse = 20, so p and the sums are taken in double.
/// </summary>
internal static class WidenedEntropy
{
    /// <summary>H of one float row at the widths the row loops use (TV: their float vector, or float itself).</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float, or float.</typeparam>
    /// <param name="x">The row's logits.</param>
    /// <param name="classes">K, at least the vector's lane count.</param>
    /// <param name="cap">The soft-cap, applied when <paramref name="capped"/>.</param>
    /// <param name="capped">Whether the logits are soft-capped.</param>
    /// <param name="temperature">tau, used when <paramref name="tempered"/>.</param>
    /// <param name="tempered">Whether tau is not 1.</param>
    /// <param name="lse">The saved log-sum-exp.</param>
    /// <returns>H.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double Row<TV>(ref float x, int classes, in LogitCap cap, bool capped, double temperature, bool tempered, double lse)
        where TV : struct
    {
        if (typeof(TV) == typeof(Vector512<float>))
        {
            return Row<Simd512<float>, Vector512<float>, Simd512<double>, Vector512<double>, Widen512>(ref x, classes, cap, capped, temperature, tempered, lse);
        }

        if (typeof(TV) == typeof(Vector256<float>))
        {
            return Row<Simd256<float>, Vector256<float>, Simd256<double>, Vector256<double>, Widen256>(ref x, classes, cap, capped, temperature, tempered, lse);
        }

        return typeof(TV) == typeof(Vector128<float>)
            ? Row<Simd128<float>, Vector128<float>, Simd128<double>, Vector128<double>, Widen128>(ref x, classes, cap, capped, temperature, tempered, lse)
            : Row<Scalar<float>, float, Scalar<double>, double, WidenScalar>(ref x, classes, cap, capped, temperature, tempered, lse);
    }

    private static double Row<TSF, TVF, TSD, TVD, TWiden>(ref float x, int classes, in LogitCap cap, bool capped, double temperature, bool tempered, double lse)
        where TSF : struct, ISimd<float, TVF>
        where TVF : struct
        where TSD : struct, ISimd<double, TVD>
        where TVD : struct
        where TWiden : struct, IWiden<TVF, TVD>
    {
        var state = new State<TSD, TVD>(cap, capped, temperature, tempered, lse);
        nuint k = (nuint)classes;
        nuint width = (nuint)TSF.Count;
        nuint i = 0;
        for (; i + width <= k; i += width)
        {
            (TVD low, TVD high) = TWiden.Widen(TSF.Load(ref x, i));
            state.Add(low, 0);
            state.Add(high, TWiden.HasHigh ? 0 : TSD.Count);
        }

        if (i < k)
        {
            // The tail vector ends at K; its lanes before firstLane were added above.
            nuint start = k - width;
            int firstLane = (int)(i - start);
            (TVD low, TVD high) = TWiden.Widen(TSF.Load(ref x, start));
            state.Add(low, firstLane);
            state.Add(high, TWiden.HasHigh ? firstLane - TSD.Count : TSD.Count);
        }

        return (lse * (1 - TSD.HorizontalSum(state.Mass))) + TSD.HorizontalSum(state.Terms);
    }

    private interface IWiden<TVF, TVD>
    {
        static abstract bool HasHigh { get; }

        static abstract (TVD Low, TVD High) Widen(TVF value);
    }

    private readonly struct Widen512 : IWiden<Vector512<float>, Vector512<double>>
    {
        public static bool HasHigh => true;

        public static (Vector512<double> Low, Vector512<double> High) Widen(Vector512<float> value) => Vector512.Widen(value);
    }

    private readonly struct Widen256 : IWiden<Vector256<float>, Vector256<double>>
    {
        public static bool HasHigh => true;

        public static (Vector256<double> Low, Vector256<double> High) Widen(Vector256<float> value) => Vector256.Widen(value);
    }

    private readonly struct Widen128 : IWiden<Vector128<float>, Vector128<double>>
    {
        public static bool HasHigh => true;

        public static (Vector128<double> Low, Vector128<double> High) Widen(Vector128<float> value) => Vector128.Widen(value);
    }

    private readonly struct WidenScalar : IWiden<float, double>
    {
        public static bool HasHigh => false;

        public static (double Low, double High) Widen(float value) => (value, 0);
    }

    // The two double sums, and what each lane's term needs.
    private struct State<TSD, TVD>(in LogitCap cap, bool capped, double temperature, bool tempered, double lse)
        where TSD : struct, ISimd<double, TVD>
        where TVD : struct
    {
        private readonly TVD _cap = TSD.Broadcast(cap.Cap);
        private readonly TVD _inverseCap = TSD.Broadcast(cap.Inverse);
        private readonly TVD _temperature = TSD.Broadcast(temperature);
        private readonly TVD _lse = TSD.Broadcast(lse);
        private readonly bool _capped = capped;
        private readonly bool _tempered = tempered;

        public TVD Mass { get; private set; } = TSD.Zero;

        public TVD Terms { get; private set; } = TSD.Zero;

        // Adds the lanes from firstLane on: p and p (-a), 0 where p is 0 (no 0 * Inf).
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(TVD x, int firstLane)
        {
            TVD z = _capped ? SoftcapMath<double, TSD, TVD>.Cap(x, _cap, _inverseCap, out _, false) : x;
            z = _tempered ? TSD.Divide(z, _temperature) : z;
            TVD a = TSD.Subtract(z, _lse);
            TVD p = TSD.Exp(a);
            TVD term = TSD.AndNot(TSD.Multiply(p, TSD.Subtract(TSD.Zero, a)), TSD.Equals(p, TSD.Zero));
            Mass = TSD.Add(Mass, TSD.SelectFromLane(firstLane, p, TSD.Zero));
            Terms = TSD.Add(Terms, TSD.SelectFromLane(firstLane, term, TSD.Zero));
        }
    }
}

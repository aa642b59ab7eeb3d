using System.Runtime.CompilerServices;

namespace LsrGen.Simd;

/// <summary>
/// Logit soft-capping (Gemma 2): z = c * tanh(x / c), and its slope dz/dx = sech^2(x / c) = 4e / (1 + e)^2 with
/// e = exp(-2|x / c|). The slope from e has no cancellation where tanh saturates, unlike 1 - (z / c)^2. tanh is
/// (1 - e) / (1 + e) for |x / c| past a threshold and its Taylor series below it, where 1 - e would cancel; the result
/// is odd, so -Inf maps to -c and +Inf to c, and NaN stays NaN. Every lane is computed alone, so a value gets the same
/// bits in any lane and any call.
/// Float logits are capped in float or, where z must be correctly rounded, in double (see <see cref="LogitCap"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
internal static class SoftcapMath<T, TS, TV>
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    where TS : struct, ISimd<T, TV>
    where TV : struct
{
    /// <summary>c * tanh(x / c), and when <paramref name="withSlope"/> its slope sech^2(x / c) (as 1 - tanh^2 where the series serves).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="cap">c in every lane.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <param name="slope">dz/dx (left unset without <paramref name="withSlope"/>).</param>
    /// <param name="withSlope">Whether to compute the slope (a JIT-time constant at every call).</param>
    /// <returns>The capped logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Cap(TV x, TV cap, TV inverseCap, out TV slope, bool withSlope)
    {
        TV signBit = TS.Broadcast(T.NegativeZero);
        TV y = TS.Multiply(x, inverseCap);
        TV t = TS.AndNot(y, signBit);
        TV threshold = C(typeof(T) == typeof(float) ? 0.55 : 0.125);
        TV one = TS.Broadcast(T.One);
        TV near = SmallTanh(t);
        if (TS.AllLessThan(t, threshold))
        {
            // Every lane within the series' range (in float |x| below 0.55 c: most logits under a soft-cap of 30): no
            // exp and no division. The slope 1 - tanh^2 does not cancel there (tanh < 0.5).
            slope = withSlope ? TS.Multiply(TS.Subtract(one, near), TS.Add(one, near)) : default;
            return TS.Multiply(cap, TS.Xor(near, TS.And(y, signBit)));
        }

        TV e = TS.Exp(TS.Multiply(t, C(-2)));

        // One division serves tanh = (1 - e) / (1 + e) and sech^2 = 4e / (1 + e)^2.
        TV inverse = TS.Divide(one, TS.Add(one, e));
        TV small = TS.LessThan(t, threshold);

        // Each lane takes the same formulas whatever its neighbours are (the series' slope where the series is used), so
        // a value's bits never depend on the other lanes of its vector.
        slope = withSlope
            ? TS.ConditionalSelect(small, TS.Multiply(TS.Subtract(one, near), TS.Add(one, near)), TS.Multiply(TS.Multiply(C(4), e), TS.Multiply(inverse, inverse)))
            : default;
        TV tanh = TS.ConditionalSelect(small, near, TS.Multiply(TS.Subtract(one, e), inverse));
        return TS.Multiply(cap, TS.Xor(tanh, TS.And(y, signBit)));
    }

    // tanh(t) below the threshold (double 0.125, float 0.55), where 1 - e would cancel: t + t^3 P(t^2) with the Taylor
    // coefficients of tanh (to t^15 for double, t^17 for float: truncation below half an ulp). Above it
    // (1 - e) / (1 + e) loses at most e / (1 - e): under 4 ulp for double, under 1 for float.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmallTanh(TV t)
    {
        TV u = TS.Multiply(t, t);
        TV p = typeof(T) == typeof(float)
            ? TS.MultiplyAdd(
                TS.MultiplyAdd(C(6404582.0 / 10854718875.0), u, C(-929569.0 / 638512875.0)), u, C(21844.0 / 6081075.0))
            : TS.MultiplyAdd(C(-929569.0 / 638512875.0), u, C(21844.0 / 6081075.0));
        p = TS.MultiplyAdd(p, u, C(-1382.0 / 155925.0));
        p = TS.MultiplyAdd(p, u, C(62.0 / 2835.0));
        p = TS.MultiplyAdd(p, u, C(-17.0 / 315.0));
        p = TS.MultiplyAdd(p, u, C(2.0 / 15.0));
        p = TS.MultiplyAdd(p, u, C(-1.0 / 3.0));
        return TS.MultiplyAdd(TS.Multiply(t, u), p, t);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV C(double value)
        => TS.Broadcast(typeof(T) == typeof(float) ? Unsafe.BitCast<float, T>((float)value) : Unsafe.BitCast<double, T>(value));
}

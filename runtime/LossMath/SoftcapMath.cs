using System.Runtime.CompilerServices;

namespace LsrGen.LossMath;

/// <summary>
/// Logit soft-capping (Gemma 2): z = c * tanh(x / c), and its slope dz/dx = sech^2(x / c) = 4e / (1 + e)^2 with
/// e = exp(-2|x / c|). The slope from e has no cancellation where tanh saturates, unlike 1 - (z / c)^2. tanh is
/// (1 - e) / (1 + e) for |x / c| past a threshold and a polynomial below it, where 1 - e would cancel (double: the
/// Taylor series below 0.125; float: a minimax fit below 0.55, see <see cref="Near"/>); the result is odd, so -Inf maps
/// to -c and +Inf to c, and NaN stays NaN. Every lane is computed alone, so a value gets the same bits in any lane and
/// any call.
/// Float logits past the polynomial's range are capped in float or, where z must keep its precision, in double (see
/// <see cref="LogitCap"/>).
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
internal static class SoftcapMath<T, TS, TV>
    where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    where TS : struct, ISimd<T, TV>
    where TV : struct
{
    /// <summary>c * tanh(x / c), and when <paramref name="withSlope"/> its slope sech^2(x / c) (as 1 - tanh^2 where the polynomial serves).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="cap">c in every lane.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <param name="slope">dz/dx (left unset without <paramref name="withSlope"/>).</param>
    /// <param name="withSlope">Whether to compute the slope (a JIT-time constant at every call).</param>
    /// <returns>The capped logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Cap(TV x, TV cap, TV inverseCap, out TV slope, bool withSlope)
    {
        if (typeof(T) == typeof(float))
        {
            return CapFloat(x, cap, inverseCap, out slope, withSlope);
        }

        TV signBit = TS.Broadcast(T.NegativeZero);
        TV y = TS.Multiply(x, inverseCap);
        TV t = TS.AndNot(y, signBit);
        TV threshold = C(0.125);
        TV one = TS.Broadcast(T.One);
        TV near = SmallTanh(t);
        if (TS.AllLessThan(t, threshold))
        {
            // Every lane within the series' range: no exp and no division. The slope 1 - tanh^2 does not cancel there.
            slope = withSlope ? TS.Multiply(TS.Subtract(one, near), TS.Add(one, near)) : default;
            return TS.Multiply(cap, TS.Xor(near, TS.And(y, signBit)));
        }

        TV tanh = FarTanh(t, near, threshold, out TV farSlope, withSlope);
        slope = farSlope;
        return TS.Multiply(cap, TS.Xor(tanh, TS.And(y, signBit)));
    }

    // Float: the near form (Near) where |x / c| < 0.55, the exp formula of FarTanh (within 4 ulp) above.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV CapFloat(TV x, TV cap, TV inverseCap, out TV slope, bool withSlope)
    {
        if (Near(x, inverseCap, out TV near, out TV u))
        {
            slope = withSlope ? NearSlope(near, inverseCap) : default;
            return near;
        }

        TV signBit = TS.Broadcast(T.NegativeZero);
        TV y = TS.Multiply(x, inverseCap);
        TV t = TS.AndNot(y, signBit);
        // Threshold 0: FarTanh's formula in every lane; Choose then gives the lanes in range the near form.
        TV tanh = FarTanh(t, t, TS.Zero, out TV farSlope, withSlope);
        return Choose(u, near, inverseCap, TS.Multiply(cap, TS.Xor(tanh, TS.And(y, signBit))), farSlope, out slope, withSlope);
    }

    /// <summary>
    /// Float: z = x + x u P(u) with u = (x / c)^2 and P a minimax fit of (tanh(t) / t - 1) / t^2 on |t| below 0.55
    /// (relative error 4e-8), which puts z within 1 ulp there with no exp, no division and no sign handling (the form
    /// is odd in x). Most logits under a soft-cap of 30 lie in that range.
    /// </summary>
    /// <param name="x">The logits.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <param name="z">z in the lanes within range (<see cref="Choose"/> picks them).</param>
    /// <param name="u">(x / c)^2, for <see cref="Choose"/>.</param>
    /// <returns>Whether every lane is within range.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Near(TV x, TV inverseCap, out TV z, out TV u)
    {
        z = NearForm(x, inverseCap, out u);
        return TS.AllLessThan(u, C(0.55 * 0.55));
    }

    /// <summary>Float: whether every lane of x lies in <see cref="Near"/>'s range (the same test <see cref="Near"/> makes).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <returns>Whether <see cref="Near"/> would return true.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool InNearRange(TV x, TV inverseCap)
    {
        TV y = TS.Multiply(x, inverseCap);
        return TS.AllLessThan(TS.Multiply(y, y), C(0.55 * 0.55));
    }

    /// <summary>
    /// <see cref="Near"/>'s z without its range test, for a row whose largest |x| passed <see cref="Near"/> (each step
    /// is monotonic in |x|, so every smaller logit passes it too): the same bits.
    /// </summary>
    /// <param name="x">The logits.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <param name="u">(x / c)^2.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV NearForm(TV x, TV inverseCap, out TV u)
    {
        TV y = TS.Multiply(x, inverseCap);
        u = TS.Multiply(y, y);
        TV p = TS.MultiplyAdd(C(-0.0066102278308224315), u, C(0.021309388664254785));
        p = TS.MultiplyAdd(p, u, C(-0.053909428827417755));
        p = TS.MultiplyAdd(p, u, C(0.13333113729020457));
        p = TS.MultiplyAdd(p, u, C(-0.3333333200797697));
        return TS.MultiplyAdd(TS.Multiply(x, u), p, x);
    }

    /// <summary>
    /// Float, where some lane is out of <see cref="Near"/>'s range: each lane takes the near form when it is in range and
    /// <paramref name="far"/> when not, so a value's bits never depend on the other lanes of its vector.
    /// </summary>
    /// <param name="u">(x / c)^2 from <see cref="Near"/>.</param>
    /// <param name="near">z from <see cref="Near"/>.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <param name="far">z computed another way, for the lanes out of range.</param>
    /// <param name="farSlope">Its slope.</param>
    /// <param name="slope">dz/dx (left unset without <paramref name="withSlope"/>).</param>
    /// <param name="withSlope">Whether to compute the slope.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Choose(TV u, TV near, TV inverseCap, TV far, TV farSlope, out TV slope, bool withSlope)
    {
        TV inRange = TS.LessThan(u, C(0.55 * 0.55));
        slope = withSlope ? TS.ConditionalSelect(inRange, NearSlope(near, inverseCap), farSlope) : default;
        return TS.ConditionalSelect(inRange, near, far);
    }

    /// <summary>sech^2 = 1 - tanh^2 from the near form's z, where tanh is below 0.5 and nothing cancels.</summary>
    /// <param name="z">z from <see cref="Near"/>.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <returns>dz/dx.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV NearSlope(TV z, TV inverseCap)
    {
        TV tanh = TS.Multiply(z, inverseCap);
        return TS.Subtract(TS.Broadcast(T.One), TS.Multiply(tanh, tanh));
    }

    // tanh(t) for t = |x / c|: (1 - e) / (1 + e) with e = exp(-2t), and `near` below the threshold, where 1 - e would
    // cancel. One division serves tanh and the slope sech^2 = 4e / (1 + e)^2.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV FarTanh(TV t, TV near, TV threshold, out TV slope, bool withSlope)
    {
        TV one = TS.Broadcast(T.One);
        TV e = TS.Exp(TS.Multiply(t, C(-2)));
        TV inverse = TS.Divide(one, TS.Add(one, e));
        TV small = TS.LessThan(t, threshold);
        slope = withSlope
            ? TS.ConditionalSelect(small, TS.Multiply(TS.Subtract(one, near), TS.Add(one, near)), TS.Multiply(TS.Multiply(C(4), e), TS.Multiply(inverse, inverse)))
            : default;
        return TS.ConditionalSelect(small, near, TS.Multiply(TS.Subtract(one, e), inverse));
    }

    // Double: tanh(t) below 0.125, where 1 - e would cancel: t + t^3 P(t^2) with the Taylor coefficients of tanh to
    // t^15 (truncation below half an ulp). Above it (1 - e) / (1 + e) loses at most e / (1 - e): under 4 ulp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV SmallTanh(TV t)
    {
        TV u = TS.Multiply(t, t);
        TV p = TS.MultiplyAdd(C(-929569.0 / 638512875.0), u, C(21844.0 / 6081075.0));
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

using System.Runtime.CompilerServices;

namespace LsrGen.Simd;

/// <summary>
/// Logit soft-capping (Gemma 2): z = c * tanh(x / c), and its slope dz/dx = sech^2(x / c) = 4e / (1 + e)^2 with
/// e = exp(-2|x / c|). The slope from e has no cancellation where tanh saturates, unlike 1 - (z / c)^2. tanh is
/// (1 - e) / (1 + e) for |x / c| past a threshold and its Taylor series below it, where 1 - e would cancel; the result
/// is odd, so -Inf maps to -c and +Inf to c, and NaN stays NaN. Every lane is computed alone, so a value gets the same
/// bits in any lane and any call.
/// Always computed in double (see <see cref="LogitCap"/>).
/// </summary>
/// <typeparam name="TS">The vector width.</typeparam>
/// <typeparam name="TV">The vector type.</typeparam>
internal static class SoftcapMath<TS, TV>
    where TS : struct, ISimd<double, TV>
    where TV : struct
{
    /// <summary>c * tanh(x / c).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="cap">c in every lane.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <returns>The capped logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Cap(TV x, TV cap, TV inverseCap)
    {
        TV y = TS.Multiply(x, inverseCap);
        TV t = TS.AndNot(y, SignBit);
        return TS.Multiply(cap, TS.Xor(TanhOfMagnitude(t, ExpOfMinusTwice(t)), TS.And(y, SignBit)));
    }

    /// <summary>c * tanh(x / c) and its slope sech^2(x / c).</summary>
    /// <param name="x">The logits.</param>
    /// <param name="cap">c in every lane.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <param name="slope">dz/dx.</param>
    /// <returns>The capped logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Cap(TV x, TV cap, TV inverseCap, out TV slope)
    {
        TV y = TS.Multiply(x, inverseCap);
        TV t = TS.AndNot(y, SignBit);
        TV e = ExpOfMinusTwice(t);
        TV onePlus = TS.Add(TS.Broadcast(1.0), e);
        slope = TS.Divide(TS.Multiply(TS.Broadcast(4.0), e), TS.Multiply(onePlus, onePlus));
        return TS.Multiply(cap, TS.Xor(TanhOfMagnitude(t, e), TS.And(y, SignBit)));
    }

    /// <summary>The slope sech^2(x / c) alone.</summary>
    /// <param name="x">The logits.</param>
    /// <param name="inverseCap">1 / c in every lane.</param>
    /// <returns>dz/dx.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Slope(TV x, TV inverseCap)
    {
        TV e = ExpOfMinusTwice(TS.AndNot(TS.Multiply(x, inverseCap), SignBit));
        TV onePlus = TS.Add(TS.Broadcast(1.0), e);
        return TS.Divide(TS.Multiply(TS.Broadcast(4.0), e), TS.Multiply(onePlus, onePlus));
    }

    private static TV SignBit => TS.Broadcast(-0.0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpOfMinusTwice(TV magnitude) => TS.Exp(TS.Multiply(magnitude, TS.Broadcast(-2.0)));

    // tanh(t) for t = |y| >= 0 (or NaN) given e = exp(-2t). Below 0.125, t + t^3 P(t^2) with the Taylor coefficients
    // of tanh to t^15 (truncation below 1e-17 relative); above it 1 - e loses at most e / (1 - e), under 4 ulp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV TanhOfMagnitude(TV t, TV e)
    {
        TV one = TS.Broadcast(1.0);
        TV large = TS.Divide(TS.Subtract(one, e), TS.Add(one, e));
        TV u = TS.Multiply(t, t);
        TV p = TS.MultiplyAdd(TS.Broadcast(-929569.0 / 638512875.0), u, TS.Broadcast(21844.0 / 6081075.0));
        p = TS.MultiplyAdd(p, u, TS.Broadcast((-1382.0 / 155925.0)));
        p = TS.MultiplyAdd(p, u, TS.Broadcast((62.0 / 2835.0)));
        p = TS.MultiplyAdd(p, u, TS.Broadcast((-17.0 / 315.0)));
        p = TS.MultiplyAdd(p, u, TS.Broadcast((2.0 / 15.0)));
        p = TS.MultiplyAdd(p, u, TS.Broadcast((-1.0 / 3.0)));
        TV small = TS.MultiplyAdd(TS.Multiply(t, u), p, t);
        return TS.ConditionalSelect(TS.LessThan(t, TS.Broadcast(0.125)), small, large);
    }
}

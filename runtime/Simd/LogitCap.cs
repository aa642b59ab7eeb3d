using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace LsrGen.Simd;

/// <summary>
/// A logit soft-cap c (z = c * tanh(x / c)) applied to vectors of float or double. The cap is computed in double
/// even for float logits and rounded once: float z then keeps its full precision, which matters where p = exp(z - lse)
/// is taken from a saved log-sum-exp (an ulp of z at 30 moves p by 2e-6).
/// Infrastructure for generated code: not intended to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct LogitCap
{
    /// <summary>Initializes a new instance of the <see cref="LogitCap"/> struct.</summary>
    /// <param name="cap">c, positive (0 gives a cap that must not be applied).</param>
    public LogitCap(double cap)
    {
        Cap = cap;
        Inverse = cap == 0 ? 0 : 1.0 / cap;
    }

    /// <summary>Gets c.</summary>
    public double Cap { get; }

    /// <summary>Gets 1 / c.</summary>
    public double Inverse { get; }

    /// <summary>z = c * tanh(x / c) and its slope dz/dx = sech^2(x / c), lane by lane.</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float or double, or float or double itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <param name="slope">dz/dx.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV>(TV x, out TV slope)
        where TV : struct
    {
        if (typeof(TV) == typeof(Vector512<double>))
        {
            Vector512<double> z = SoftcapMath<Simd512<double>, Vector512<double>>.Cap(
                Unsafe.As<TV, Vector512<double>>(ref x), Vector512.Create(Cap), Vector512.Create(Inverse), out Vector512<double> s);
            slope = Unsafe.As<Vector512<double>, TV>(ref s);
            return Unsafe.As<Vector512<double>, TV>(ref z);
        }

        if (typeof(TV) == typeof(Vector512<float>))
        {
            (Vector512<double> low, Vector512<double> high) = Vector512.Widen(Unsafe.As<TV, Vector512<float>>(ref x));
            Vector512<double> c = Vector512.Create(Cap);
            Vector512<double> inverse = Vector512.Create(Inverse);
            Vector512<double> zLow = SoftcapMath<Simd512<double>, Vector512<double>>.Cap(low, c, inverse, out Vector512<double> sLow);
            Vector512<double> zHigh = SoftcapMath<Simd512<double>, Vector512<double>>.Cap(high, c, inverse, out Vector512<double> sHigh);
            Vector512<float> s = Vector512.Narrow(sLow, sHigh);
            Vector512<float> z = Vector512.Narrow(zLow, zHigh);
            slope = Unsafe.As<Vector512<float>, TV>(ref s);
            return Unsafe.As<Vector512<float>, TV>(ref z);
        }

        if (typeof(TV) == typeof(Vector256<double>))
        {
            Vector256<double> z = SoftcapMath<Simd256<double>, Vector256<double>>.Cap(
                Unsafe.As<TV, Vector256<double>>(ref x), Vector256.Create(Cap), Vector256.Create(Inverse), out Vector256<double> s);
            slope = Unsafe.As<Vector256<double>, TV>(ref s);
            return Unsafe.As<Vector256<double>, TV>(ref z);
        }

        if (typeof(TV) == typeof(Vector256<float>))
        {
            (Vector256<double> low, Vector256<double> high) = Vector256.Widen(Unsafe.As<TV, Vector256<float>>(ref x));
            Vector256<double> c = Vector256.Create(Cap);
            Vector256<double> inverse = Vector256.Create(Inverse);
            Vector256<double> zLow = SoftcapMath<Simd256<double>, Vector256<double>>.Cap(low, c, inverse, out Vector256<double> sLow);
            Vector256<double> zHigh = SoftcapMath<Simd256<double>, Vector256<double>>.Cap(high, c, inverse, out Vector256<double> sHigh);
            Vector256<float> s = Vector256.Narrow(sLow, sHigh);
            Vector256<float> z = Vector256.Narrow(zLow, zHigh);
            slope = Unsafe.As<Vector256<float>, TV>(ref s);
            return Unsafe.As<Vector256<float>, TV>(ref z);
        }

        if (typeof(TV) == typeof(Vector128<double>))
        {
            Vector128<double> z = SoftcapMath<Simd128<double>, Vector128<double>>.Cap(
                Unsafe.As<TV, Vector128<double>>(ref x), Vector128.Create(Cap), Vector128.Create(Inverse), out Vector128<double> s);
            slope = Unsafe.As<Vector128<double>, TV>(ref s);
            return Unsafe.As<Vector128<double>, TV>(ref z);
        }

        if (typeof(TV) == typeof(Vector128<float>))
        {
            (Vector128<double> low, Vector128<double> high) = Vector128.Widen(Unsafe.As<TV, Vector128<float>>(ref x));
            Vector128<double> c = Vector128.Create(Cap);
            Vector128<double> inverse = Vector128.Create(Inverse);
            Vector128<double> zLow = SoftcapMath<Simd128<double>, Vector128<double>>.Cap(low, c, inverse, out Vector128<double> sLow);
            Vector128<double> zHigh = SoftcapMath<Simd128<double>, Vector128<double>>.Cap(high, c, inverse, out Vector128<double> sHigh);
            Vector128<float> s = Vector128.Narrow(sLow, sHigh);
            Vector128<float> z = Vector128.Narrow(zLow, zHigh);
            slope = Unsafe.As<Vector128<float>, TV>(ref s);
            return Unsafe.As<Vector128<float>, TV>(ref z);
        }

        if (typeof(TV) == typeof(double))
        {
            double z = SoftcapMath<Scalar<double>, double>.Cap(Unsafe.As<TV, double>(ref x), Cap, Inverse, out double s);
            slope = Unsafe.As<double, TV>(ref s);
            return Unsafe.As<double, TV>(ref z);
        }

        {
            double z = SoftcapMath<Scalar<double>, double>.Cap(Unsafe.As<TV, float>(ref x), Cap, Inverse, out double s);
            float zf = (float)z;
            float sf = (float)s;
            slope = Unsafe.As<float, TV>(ref sf);
            return Unsafe.As<float, TV>(ref zf);
        }
    }

    /// <summary>z = c * tanh(x / c), lane by lane.</summary>
    /// <typeparam name="TV">Vector512, Vector256 or Vector128 of float or double, or float or double itself.</typeparam>
    /// <param name="x">The logits.</param>
    /// <returns>z.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TV Apply<TV>(TV x)
        where TV : struct
        => Apply(x, out _);
}

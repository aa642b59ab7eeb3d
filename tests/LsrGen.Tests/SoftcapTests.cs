using System;
using System.Runtime.Intrinsics;
using LsrGen.Simd;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The soft-cap z = c tanh(x / c) and its slope against Math.Tanh and 1 / cosh^2, over a sweep of x: float within 5 ulp
/// (4 measured), float correctly rounded (Backward's path), double within 1.5e-15 relative.
/// </summary>
public sealed class SoftcapTests
{
    [Theory]
    [InlineData(1.0)]
    [InlineData(5.0)]
    [InlineData(30.0)]
    public void Float_and_double_caps_are_accurate(double c)
    {
        var fast = new LogitCap(c);
        for (double x = -300; x <= 300; x += 0.0173)
        {
            double reference = c * Math.Tanh(x / c);
            double slopeReference = 1 / (Math.Cosh(x / c) * Math.Cosh(x / c));
            float xf = (float)x;
            double referenceAtFloat = c * Math.Tanh(xf / c);
            double slopeAtFloat = 1 / (Math.Cosh(xf / c) * Math.Cosh(xf / c));

            Vector512<float> zf = fast.Apply(Vector512.Create(xf), out Vector512<float> sf);
            Assert.True(Math.Abs(zf[3] - referenceAtFloat) <= 5 * Ulp(referenceAtFloat), $"float c = {c}, x = {xf}: {zf[3]} vs {referenceAtFloat}");
            // The float exp's relative error grows with its argument (-2|x / c|): 1.8e-7 + 7.5e-8 |argument|; below
            // e^-87.3 (1.2e-38, a slope of 4.7e-38) the exp used without AVX-512 gives 0.
            Assert.True(Math.Abs(sf[5] - slopeAtFloat) <= ((4e-7 + (3e-7 * Math.Abs(xf / c))) * slopeAtFloat) + 5e-38, $"float slope c = {c}, x = {xf}: {sf[5]} vs {slopeAtFloat}");

            Vector512<float> zr = fast.ApplyRounded(Vector512.Create(xf));
            Assert.True(Math.Abs(zr[7] - referenceAtFloat) <= 0.5000001 * Ulp(referenceAtFloat), $"rounded c = {c}, x = {xf}: {zr[7]} vs {referenceAtFloat}");

            Vector512<double> zd = fast.Apply(Vector512.Create(x), out Vector512<double> sd);
            Assert.True(Math.Abs(zd[1] - reference) <= (1.5e-15 * Math.Abs(reference)) + 1e-300, $"double c = {c}, x = {x}: {zd[1]} vs {reference}");
            Assert.True(Math.Abs(sd[2] - slopeReference) <= ((2e-14 + (2e-16 * Math.Abs(x / c))) * slopeReference) + 1e-300, $"double slope c = {c}, x = {x}: {sd[2]} vs {slopeReference}");
        }

        Assert.Equal((float)c, fast.Apply(Vector512.Create(float.PositiveInfinity))[0]);
        Assert.Equal(-(float)c, fast.Apply(Vector512.Create(float.NegativeInfinity))[0]);
        Assert.True(float.IsNaN(fast.Apply(Vector512.Create(float.NaN))[0]));
        Assert.Equal(0f, fast.Apply(Vector512.Create(float.PositiveInfinity), out Vector512<float> flat)[0] - (float)c);
        Assert.Equal(0f, flat[0]);
    }

    private static double Ulp(double value)
    {
        float magnitude = (float)Math.Abs(value);
        return (double)MathF.BitIncrement(magnitude) - magnitude;
    }
}

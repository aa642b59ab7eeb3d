using System;
using System.Linq;
using System.Runtime.Intrinsics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The soft-cap z = c tanh(x / c) and its slope against Math.Tanh and 1 / cosh^2, over a sweep of x: float within 1 ulp
/// below 0.55 c (the polynomial) and 5 ulp above (4 measured), Backward's precise float within 1 ulp and correctly rounded
/// above 0.55 c, double within 1.5e-15 relative; each lane's bits independent of its neighbours at every width.
/// </summary>
public sealed class SoftcapTests
{
    public static TheoryData<double> Caps => new() { 1.0, 5.0, 30.0 };

    [Theory]
    [MemberData(nameof(Caps))]
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

            float y = xf * (float)(1 / c);
            bool near = y * y < (float)(0.55 * 0.55); // the polynomial's range, tested as the kernels test it
            Vector512<float> zf = fast.Apply(Vector512.Create(xf), out Vector512<float> sf);
            Assert.True(Math.Abs(zf[3] - referenceAtFloat) <= (near ? 1 : 5) * Ulp(referenceAtFloat), $"float c = {c}, x = {xf}: {zf[3]} vs {referenceAtFloat}");
            // The float exp's relative error grows with its argument (-2|x / c|): 1.8e-7 + 7.5e-8 |argument|; below
            // e^-87.3 (1.2e-38, a slope of 4.7e-38) the exp used without AVX-512 gives 0.
            Assert.True(Math.Abs(sf[5] - slopeAtFloat) <= ((4e-7 + (3e-7 * Math.Abs(xf / c))) * slopeAtFloat) + 5e-38, $"float slope c = {c}, x = {xf}: {sf[5]} vs {slopeAtFloat}");

            Vector512<float> zr = fast.ApplyPrecise(Vector512.Create(xf), out Vector512<float> sr);
            Assert.True(Math.Abs(zr[7] - referenceAtFloat) <= (near ? 1 : 0.5000001) * Ulp(referenceAtFloat), $"precise c = {c}, x = {xf}: {zr[7]} vs {referenceAtFloat}");
            Assert.True(Math.Abs(sr[6] - slopeAtFloat) <= (near ? 2 : 0.501) * Ulp(slopeAtFloat) + 1e-45, $"precise slope c = {c}, x = {xf}: {sr[6]} vs {slopeAtFloat}");

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

    public static TheoryData<double> PolynomialCaps => new() { 0.01, 1.0, 5.0, 30.0, 1000.0 };

    [Theory]
    [MemberData(nameof(PolynomialCaps))]
    public void The_polynomial_is_within_one_ulp_over_its_range(double c)
    {
        var cap = new LogitCap(c);
        var random = new Random(Environment.TickCount);
        var x = new float[16];
        for (int trial = 0; trial < 20000; trial++)
        {
            for (int lane = 0; lane < x.Length; lane++)
            {
                x[lane] = (float)((random.NextDouble() - 0.5) * 1.09 * c); // |x| up to 0.545 c
            }

            Vector512<float> z = cap.Apply(Vector512.Create(x), out Vector512<float> slope);
            Vector512<float> precise = cap.ApplyPrecise(Vector512.Create(x));
            for (int lane = 0; lane < x.Length; lane++)
            {
                double reference = c * Math.Tanh(x[lane] / c);
                double slopeReference = 1 / (Math.Cosh(x[lane] / c) * Math.Cosh(x[lane] / c));
                Assert.True(Math.Abs(z[lane] - reference) <= Ulp(reference), $"c = {c}, x = {x[lane]}: {z[lane]} vs {reference}");
                Assert.Equal(z[lane], precise[lane]);
                Assert.True(Math.Abs(slope[lane] - slopeReference) <= 2 * Ulp(slopeReference), $"slope c = {c}, x = {x[lane]}: {slope[lane]} vs {slopeReference}");
            }
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(30.0)]
    public void Each_lane_gets_the_bits_it_gets_alone(double c)
    {
        var cap = new LogitCap(c);
        var random = new Random(Environment.TickCount);
        for (int trial = 0; trial < 2000; trial++)
        {
            // Mixed vectors: lanes inside and outside the polynomial's range (0.55 c), now and then Inf or NaN.
            var x = new float[16];
            for (int lane = 0; lane < x.Length; lane++)
            {
                double scale = random.Next(4) switch { 0 => 0.3, 1 => 0.6, 2 => 2, _ => 20 };
                x[lane] = random.Next(200) switch { 0 => float.PositiveInfinity, 1 => float.NegativeInfinity, 2 => float.NaN, _ => (float)((random.NextDouble() - 0.5) * 2 * scale * c) };
            }

            Vector512<float> z512 = cap.Apply(Vector512.Create(x), out Vector512<float> s512);
            Vector512<float> p512 = cap.ApplyPrecise(Vector512.Create(x), out Vector512<float> ps512);
            Vector256<float> z256 = cap.Apply(Vector256.Create(x), out Vector256<float> s256);
            Vector256<float> p256 = cap.ApplyPrecise(Vector256.Create(x), out Vector256<float> ps256);
            Vector128<float> z128 = cap.Apply(Vector128.Create(x), out Vector128<float> s128);
            Vector128<float> p128 = cap.ApplyPrecise(Vector128.Create(x), out Vector128<float> ps128);
            for (int lane = 0; lane < x.Length; lane++)
            {
                // Alone: the same value in every lane, at the same width (widths may differ in their exp).
                Vector512<float> a512 = cap.Apply(Vector512.Create(x[lane]), out Vector512<float> as512);
                Vector512<float> b512 = cap.ApplyPrecise(Vector512.Create(x[lane]), out Vector512<float> bs512);
                Assert.Equal((a512[0], as512[0], b512[0], bs512[0]), (z512[lane], s512[lane], p512[lane], ps512[lane]));
                if (lane < 8)
                {
                    Vector256<float> a256 = cap.Apply(Vector256.Create(x[lane]), out Vector256<float> as256);
                    Vector256<float> b256 = cap.ApplyPrecise(Vector256.Create(x[lane]), out Vector256<float> bs256);
                    Assert.Equal((a256[0], as256[0], b256[0], bs256[0]), (z256[lane], s256[lane], p256[lane], ps256[lane]));
                }

                if (lane < 4)
                {
                    Vector128<float> a128 = cap.Apply(Vector128.Create(x[lane]), out Vector128<float> as128);
                    Vector128<float> b128 = cap.ApplyPrecise(Vector128.Create(x[lane]), out Vector128<float> bs128);
                    Assert.Equal((a128[0], as128[0], b128[0], bs128[0]), (z128[lane], s128[lane], p128[lane], ps128[lane]));
                }

                // The polynomial's lanes hold the same bits at every width and alone, fast or precise.
                float y = x[lane] * (float)(1 / c);
                if (y * y < (float)(0.55 * 0.55))
                {
                    float z = cap.Apply(x[lane], out float s);
                    Assert.Equal((z, s, z, s), (z512[lane], s512[lane], p512[lane], ps512[lane]));
                }
            }
        }
    }

    [Fact]
    public void Rows_inside_the_polynomial_range_skip_the_range_test_with_the_same_bits()
    {
        var random = new Random(Environment.TickCount);
        for (int trial = 0; trial < 300; trial++)
        {
            double c = random.Next(3) switch { 0 => 1, 1 => 5, _ => 30 };
            var cap = new LogitCap(c);
            int k = 16 + random.Next(300);
            var x = new float[k];
            var w = new float[k];
            for (int i = 0; i < k; i++)
            {
                x[i] = (float)((random.NextDouble() - 0.5) * 1.09 * c);
                w[i] = (float)random.NextDouble();
            }

            bool outlier = random.Next(2) == 0;
            if (outlier)
            {
                x[random.Next(k)] = (float)(0.56 * c * (random.Next(2) == 0 ? 1 : -1));
            }

            float max = RowPrimitives<float, Simd512<float>, Vector512<float>>.MaxOfZ<SoftCapped>(ref x[0], k, cap, out bool near);
            Assert.Equal(!outlier, near);
            Assert.Equal(cap.Apply(Vector512.Create(x.Max()))[0], max);
            if (!near)
            {
                continue;
            }

            bool weighted = random.Next(2) == 0;
            Compare<Simd512<float>, Vector512<float>>(x, w, weighted, max, cap);
            Compare<Simd256<float>, Vector256<float>>(x, w, weighted, max, cap);
            Compare<Simd128<float>, Vector128<float>>(x, w, weighted, max, cap);
        }

        static void Compare<TS, TV>(float[] x, float[] w, bool weighted, float max, LogitCap cap)
            where TS : struct, ISimd<float, TV>
            where TV : struct
        {
            var zNear = new float[x.Length];
            var zChecked = new float[x.Length];
            float sumNear = RowPrimitives<float, TS, TV>.SumCapped<SoftCapped>(ref x[0], ref w[0], weighted, ref zNear[0], x.Length, max, cap, near: true, out float shiftedNear);
            float sumChecked = RowPrimitives<float, TS, TV>.SumCapped<SoftCapped>(ref x[0], ref w[0], weighted, ref zChecked[0], x.Length, max, cap, near: false, out float shiftedChecked);
            Assert.Equal((sumChecked, shiftedChecked), (sumNear, shiftedNear));
            Assert.Equal(zChecked, zNear);
            float restNear = RowPrimitives<float, TS, TV>.RestExp<NearCapped>(ref x[0], x.Length, max, cap);
            Assert.Equal(RowPrimitives<float, TS, TV>.RestExp<SoftCapped>(ref x[0], x.Length, max, cap), restNear);
        }
    }

    private static double Ulp(double value)
    {
        float magnitude = (float)Math.Abs(value);
        return (double)MathF.BitIncrement(magnitude) - magnitude;
    }
}

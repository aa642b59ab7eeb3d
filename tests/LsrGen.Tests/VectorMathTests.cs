using System;
using System.Runtime.Intrinsics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The float exp and log every kernel shares, checked lane by lane against double-precision Math at each vector
/// width. Which code path runs depends on the instruction set (vreduceps and vscalefps with AVX-512, exponent bits
/// without), so CI runs this suite with AVX-512 on and off.
/// </summary>
public class VectorMathTests
{
    // The exponent-bit path (Vector128 always, wider vectors without AVX-512): 2 ulp in the normal range.
    private const double ExpRelativeBound = 2.5e-7;

    // The vreduceps path rounds x log2(e) to float first, so its error grows with |x| (the remarks on ExpFloat in Simd512.cs).
    private const double ReducedExpRelativeBound = 1.8e-7;
    private const double ReducedExpRelativePerUnit = 7.5e-8;

    // The smallest normal float, 2^-126.
    private const double MinNormal = 1.1754943508222875e-38;

    [Fact]
    public void Float_exp_matches_math_exp_over_the_softmax_range()
    {
        var random = new Random(RandomData.RunSeed);
        var x = new float[4096];
        for (int i = 0; i < x.Length; i++)
        {
            // Half near 0 (where most softmax mass is), half down to the subnormal range.
            x[i] = -(float)(random.NextDouble() * (i % 2 == 0 ? 2 : 104));
        }

        foreach ((string width, Func<float[], float[]> exp) in ExpWidths())
        {
            float[] got = exp(x);
            for (int i = 0; i < x.Length; i++)
            {
                double expected = Math.Exp(x[i]);
                double error = Math.Abs(got[i] - expected);
                bool ok = expected >= MinNormal
                    ? error <= RelativeBound(width, x[i]) * expected
                    : error <= MinNormal; // subnormal or flushed to 0: both within the absolute bound of docs/semantics.md
                Assert.True(ok, $"{width}: exp({x[i]:R}) = {got[i]:R}, expected {expected:R} (seed {RandomData.RunSeed})");
            }
        }
    }

    [Fact]
    public void Float_exp_special_values_in_every_lane()
    {
        float[] specials = [0f, -0f, float.NegativeInfinity, float.NaN, -87.5f, -150f, -1e30f, float.MinValue, -1e-30f, -1f];
        foreach ((string width, Func<float[], float[]> exp) in ExpWidths())
        {
            // Each special value in each lane position, the other lanes ordinary, so a lane-coupled path shows.
            for (int lane = 0; lane < 16; lane++)
            {
                foreach (float special in specials)
                {
                    var x = new float[16];
                    Array.Fill(x, -0.5f);
                    x[lane] = special;
                    float got = exp(x)[lane];
                    string what = $"{width}: exp({special:R}) in lane {lane} = {got:R}";
                    if (float.IsNaN(special))
                    {
                        Assert.True(float.IsNaN(got), what);
                    }
                    else if (special == 0f)
                    {
                        Assert.True(got == 1f, what);
                    }
                    else if (special <= -104f)
                    {
                        Assert.True(got == 0f, what);
                    }
                    else
                    {
                        Assert.True(Math.Abs(got - Math.Exp(special)) <= (RelativeBound(width, special) * Math.Exp(special)) + MinNormal, what);
                    }
                }
            }
        }
    }

    [Fact]
    public void Float_log_of_a_row_sum_matches_math_log()
    {
        var random = new Random(RandomData.RunSeed);
        for (int i = 0; i < 20000; i++)
        {
            // Sums of exps lie in [1, K]; cover K up to 2^24.
            float sum = (float)Math.Exp(random.NextDouble() * 16.6);
            float got = LsrVectorMath.LogOfSum(sum);
            double expected = Math.Log(sum);
            Assert.True(Math.Abs(got - expected) <= (2.5e-7 * expected) + 1e-9, $"log({sum:R}) = {got:R}, expected {expected:R}");
        }

        Assert.Equal(0f, LsrVectorMath.LogOfSum(1f));
        Assert.True(float.IsNaN(LsrVectorMath.LogOfSum(float.NaN)));
        Assert.Equal(Math.Log(12345.678), LsrVectorMath.LogOfSum(12345.678), 15);
    }

    private static double RelativeBound(string width, float x)
    {
        bool reduced = width switch
        {
            "Vector512" => System.Runtime.Intrinsics.X86.Avx512DQ.IsSupported,
            "Vector256" => System.Runtime.Intrinsics.X86.Avx512DQ.VL.IsSupported,
            _ => false,
        };
        return reduced ? ReducedExpRelativeBound + (ReducedExpRelativePerUnit * Math.Abs(x)) : ExpRelativeBound;
    }

    private static (string Width, Func<float[], float[]> Exp)[] ExpWidths() =>
    [
        ("Vector512", x => Map(x, 16, v => Simd512<float>.Exp(Vector512.Create(v)), (r, a) => r.CopyTo(a))),
        ("Vector256", x => Map(x, 8, v => Simd256<float>.Exp(Vector256.Create(v)), (r, a) => r.CopyTo(a))),
        ("Vector128", x => Map(x, 4, v => Simd128<float>.Exp(Vector128.Create(v)), (r, a) => r.CopyTo(a))),
    ];

    private static float[] Map<TV>(float[] x, int lanes, Func<float[], TV> exp, Action<TV, float[]> copy)
    {
        var result = new float[x.Length];
        var chunk = new float[lanes];
        var output = new float[lanes];
        for (int i = 0; i < x.Length; i += lanes)
        {
            Array.Copy(x, i, chunk, 0, lanes);
            copy(exp(chunk), output);
            Array.Copy(output, 0, result, i, lanes);
        }

        return result;
    }
}

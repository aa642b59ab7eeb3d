using System;
using System.Collections.Generic;
using System.Numerics;

namespace LsrGen.Tests;

/// <summary>
/// Logits that exploded or were masked, against the double oracle (which applies IEEE rules as PyTorch does):
/// every operation, with and without smoothing, weights and ignored rows.
/// </summary>
public static class ExtremeValuesSuite<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Named rows of K logits, each representable in T.</summary>
    public static IEnumerable<(string Name, double[] Row)> Rows(int k, Random random)
    {
        double[] Normal() => TestNumbers.RoundTrip<T>(RandomData.Normal(random, k, 2));
        double[] With(Func<double[], double[]> edit) => TestNumbers.RoundTrip<T>(edit(Normal()));
        double max = TestNumbers.IsFloat<T>() ? float.MaxValue : double.MaxValue;
        double subnormal = double.CreateTruncating(T.Epsilon);

        yield return ("offset +1e30", With(r => Array.ConvertAll(r, v => v + 1e30)));
        yield return ("offset -1e30", With(r => Array.ConvertAll(r, v => v - 1e30)));
        yield return ("offset +1e4", With(r => Array.ConvertAll(r, v => v + 1e4)));
        yield return ("near MaxValue", With(r => Array.ConvertAll(r, v => max * (0.999 + (0.0001 * Math.Min(Math.Abs(v), 9))))));
        yield return ("near -MaxValue", With(r => Array.ConvertAll(r, v => -max * (0.999 + (0.0001 * Math.Min(Math.Abs(v), 9))))));
        yield return ("one -Inf", With(r => { r[k / 2] = double.NegativeInfinity; return r; }));
        yield return ("all but one -Inf", With(r => { for (int j = 0; j < k; j++) { r[j] = j == k - 1 ? r[j] : double.NegativeInfinity; } return r; }));
        yield return ("all -Inf", With(r => { Array.Fill(r, double.NegativeInfinity); return r; }));
        yield return ("one +Inf", With(r => { r[0] = double.PositiveInfinity; return r; }));
        yield return ("one NaN", With(r => { r[k - 1] = double.NaN; return r; }));
        yield return ("subnormals", With(r => Array.ConvertAll(r, v => subnormal * Math.Round(v * 4))));
        yield return ("all equal", With(r => { Array.Fill(r, 7.25); return r; }));
        yield return ("huge spread", With(r => { r[0] = 80; r[k - 1] = -80; return r; }));
    }

    /// <summary>Every named row alone, and all of them as one batch with mixed targets, through every operation.</summary>
    public static void Run(ILsrApi<T> api, int k, int seed)
    {
        var random = new Random(seed);
        var batch = new List<double>();
        var rows = new List<string>();
        foreach ((string name, double[] row) in Rows(k, random))
        {
            Check(api, row, k, random, $"{name} K={k} seed={seed}");
            batch.AddRange(row);
            rows.Add(name);
        }

        Check(api, batch.ToArray(), k, random, $"all extreme rows K={k} seed={seed}");
    }

    private static void Check(ILsrApi<T> api, double[] x, int k, Random random, string context)
    {
        int n = x.Length / k;
        CorrectnessSuite<T>.Probabilities(api, x, k, context);
        double[] weight = TestNumbers.RoundTrip<T>(RandomData.Weights(random, k));
        double[] q = RandomData.Probabilities(random, n, k);
        foreach (double eps in new[] { 0.0, 0.1, 1.0 })
        {
            foreach (bool weighted in new[] { false, true })
            {
                double[]? w = weighted ? weight : null;
                int[] targets = RandomData.Targets(random, n, k, withIgnored: false, -100);
                int[] someIgnored = RandomData.Targets(random, n, k, withIgnored: true, -100);
                foreach (Reduction? reduction in new Reduction?[] { Reduction.Mean, Reduction.Sum, null })
                {
                    CorrectnessSuite<T>.Hard(api, x, k, targets, eps, reduction, -100, w, $"{context} eps={eps} weighted={weighted}");
                    CorrectnessSuite<T>.Hard(api, x, k, someIgnored, eps, reduction, -100, w, $"{context} eps={eps} weighted={weighted} ignored");
                    CorrectnessSuite<T>.Soft(api, x, k, q, eps, reduction, w, $"{context} eps={eps} weighted={weighted}");
                }
            }
        }
    }
}

using System;
using System.Linq;
using CsCheck;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// Laws that hold for every input, checked on 10,000+ generated cases per run (8 laws x 1,250). CsCheck shrinks a
/// failure to a minimal case and prints the seed that replays it (CsCheck_Seed=...).
/// </summary>
public class PropertyTests
{
    private const long Iterations = 1250;

    /// <summary>A batch: K, N, logits (float values), targets, weights, label smoothing.</summary>
    public sealed record Batch(int K, int N, float[] Logits, int[] Targets, float[] Weight, float Eps)
    {
        public override string ToString() => $"K={K} N={N} eps={Eps} weighted={Weight.Length > 0} logits=[{string.Join(", ", Logits.Take(12))}...] targets=[{string.Join(", ", Targets)}]";
    }

    private static readonly Gen<Batch> s_batches = Batches(Gen.Int[1, 40]);

    private static readonly Gen<Batch> s_nonEmpty = s_batches.Where(b => b.N > 0);

    // The generated class counts of this project; drawn directly, since filtering K from 1..40 starves the generator.
    private static readonly Gen<Batch> s_generatedK = Batches(Gen.OneOf(3, 10, 17)).Where(b => b.N > 0);

    private static Gen<Batch> Batches(Gen<int> classes) =>
        from k in classes
        from n in Gen.Int[0, 12]
        from x in Gen.Float[-30f, 30f].Array[n * k]
        from t in Gen.Int[0, k - 1].Array[n]
        from weighted in Gen.Bool
        from w in Gen.Float[0.1f, 3f].Array[k]
        from smoothing in Gen.Bool
        from eps in Gen.Float[0f, 1f]
        select new Batch(k, n, x, t, weighted ? w : [], smoothing ? eps : 0f);

    [Fact]
    public void Softmax_rows_sum_to_one() => s_nonEmpty.Sample(b =>
    {
        var p = new float[b.Logits.Length];
        LsrKernels.Softmax(b.Logits, b.K, p);
        for (int i = 0; i < b.N; i++)
        {
            double sum = p.AsSpan(i * b.K, b.K).ToArray().Sum(v => (double)v);
            Assert.True(Math.Abs(sum - 1) <= 1e-6, $"row {i} sums to {sum:R}");
        }
    }, iter: Iterations);

    [Fact]
    public void Log_probabilities_are_not_positive() => s_nonEmpty.Sample(b =>
    {
        var logp = new float[b.Logits.Length];
        LsrKernels.LogSoftmax(b.Logits, b.K, logp);
        Assert.All(logp, v => Assert.True(v <= 0, $"log-prob {v:R} > 0"));
    }, iter: Iterations);

    [Fact]
    public void Adding_a_constant_to_a_row_changes_neither_loss_nor_gradient() => s_nonEmpty.Select(Gen.Int[-40, 40]).Sample((b, c) =>
    {
        // In double, float values plus a small integer are exact, so the shifted row has exactly the same x - max.
        double[] x = b.Logits.Select(v => (double)v).ToArray();
        double[] shifted = x.Select(v => v + c).ToArray();
        double[] w = b.Weight.Select(v => (double)v).ToArray();
        var g1 = new double[x.Length];
        var g2 = new double[x.Length];
        double l1 = LsrKernels.CrossEntropyWithGradient(x, b.K, b.Targets, g1, b.Eps, Reduction.Mean, -100, w);
        double l2 = LsrKernels.CrossEntropyWithGradient(shifted, b.K, b.Targets, g2, b.Eps, Reduction.Mean, -100, w);
        Tolerance.Close(l1, l2, isFloat: false, Quantity.Other, $"loss shifted by {c}");
        Tolerance.Close(g1, g2, isFloat: false, Quantity.Other, $"gradient shifted by {c}");
    }, iter: Iterations);

    [Fact]
    public void Zero_smoothing_is_plain_negative_log_likelihood() => s_nonEmpty.Sample(b =>
    {
        var logp = new float[b.Logits.Length];
        LsrKernels.LogSoftmax(b.Logits, b.K, logp);
        var picked = new float[b.N];
        LsrKernels.GatherTargets(logp, b.K, b.Targets, picked);
        double nll = 0;
        double d = 0;
        for (int i = 0; i < b.N; i++)
        {
            double wt = b.Weight.Length > 0 ? b.Weight[b.Targets[i]] : 1;
            nll -= wt * picked[i];
            d += wt;
        }

        float loss = LsrKernels.CrossEntropy(b.Logits, b.K, b.Targets, 0f, Reduction.Mean, -100, b.Weight);
        Tolerance.Close(nll / d, loss, isFloat: true, Quantity.Other, "eps = 0 against -mean(w_t logp_t)");
    }, iter: Iterations);

    [Fact]
    public void Unweighted_gradient_rows_sum_to_zero() => s_nonEmpty.Sample(b =>
    {
        var g = new float[b.Logits.Length];
        LsrKernels.CrossEntropyWithGradient(b.Logits, b.K, b.Targets, g, b.Eps, Reduction.Sum);
        for (int i = 0; i < b.N; i++)
        {
            double sum = g.AsSpan(i * b.K, b.K).ToArray().Sum(v => (double)v);
            Assert.True(Math.Abs(sum) <= 2e-6, $"row {i} gradient sums to {sum:R}");
        }
    }, iter: Iterations);

    [Fact]
    public void Mean_is_sum_over_target_weight() => s_nonEmpty.Sample(b =>
    {
        double[] x = b.Logits.Select(v => (double)v).ToArray();
        double[] w = b.Weight.Select(v => (double)v).ToArray();
        double mean = LsrKernels.CrossEntropy(x, b.K, b.Targets, b.Eps, Reduction.Mean, -100, w);
        double sum = LsrKernels.CrossEntropy(x, b.K, b.Targets, b.Eps, Reduction.Sum, -100, w);
        double d = b.Targets.Sum(t => w.Length > 0 ? w[t] : 1.0);
        Tolerance.Close(sum / d, mean, isFloat: false, Quantity.Other, "mean against sum / D");
    }, iter: Iterations);

    [Fact]
    public void Generated_equals_runtime() => s_generatedK.Sample(b =>
    {
        var generated = new GeneratedApi<float>(Declared.For(b.K));
        var g1 = new float[b.Logits.Length];
        var g2 = new float[b.Logits.Length];
        float l1 = generated.CrossEntropyWithGradient(b.Logits, b.K, b.Targets, g1, b.Eps, Reduction.Mean, -100, b.Weight);
        float l2 = LsrKernelRunner<float, GenericRowKernel>.CrossEntropyWithGradient(b.Logits, b.K, b.Targets, g2, b.Eps, Reduction.Mean, -100, b.Weight);
        Assert.True(Math.Abs(l1 - l2) <= 1e-6 * Math.Max(1, Math.Abs(l2)), $"loss {l1:R} vs {l2:R}");
        for (int i = 0; i < g1.Length; i++)
        {
            Assert.True(Math.Abs(g1[i] - g2[i]) <= 1e-6, $"gradient {i}: {g1[i]:R} vs {g2[i]:R}");
        }
    }, iter: Iterations);

    [Fact]
    public void Gradient_matches_central_differences_of_the_double_path() => s_nonEmpty.Where(b => b.K * b.N <= 120).Sample(b =>
    {
        double[] x = b.Logits.Select(v => (double)v / 4).ToArray();
        double[] w = b.Weight.Select(v => (double)v).ToArray();
        var g = new double[x.Length];
        LsrKernels.CrossEntropyWithGradient(x, b.K, b.Targets, g, b.Eps, Reduction.Mean, -100, w);
        const double h = 1e-5;
        for (int i = 0; i < x.Length; i++)
        {
            double keep = x[i];
            x[i] = keep + h;
            double plus = LsrKernels.CrossEntropy(x, b.K, b.Targets, b.Eps, Reduction.Mean, -100, w);
            x[i] = keep - h;
            double minus = LsrKernels.CrossEntropy(x, b.K, b.Targets, b.Eps, Reduction.Mean, -100, w);
            x[i] = keep;
            double numeric = (plus - minus) / (2 * h);
            Assert.True(Math.Abs(numeric - g[i]) <= 1e-6 + (1e-5 * Math.Abs(numeric)), $"d loss / d x[{i}]: analytic {g[i]:R}, numeric {numeric:R}");
        }
    }, iter: Iterations);
}

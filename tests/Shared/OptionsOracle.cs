using System;
using System.Linq;

namespace LsrGen.Tests;

/// <summary>The options of a section 9 loss for <see cref="OptionsOracle"/> and the loss under test.</summary>
public sealed record LossOptions(
    double LabelSmoothing, Reduction Reduction, double[]? Weight, double Softcap, double ZLossScale, double Temperature, double EntropyScale,
    int IgnoreIndex = -100)
{
    /// <summary>The options as the float API holds them (each rounded to float once).</summary>
    public LossOptions RoundedToFloat() => this with
    {
        LabelSmoothing = (float)LabelSmoothing,
        Weight = Weight is null ? null : TestNumbers.RoundTrip<float>(Weight),
        Softcap = (float)Softcap,
        ZLossScale = (float)ZLossScale,
        Temperature = (float)Temperature,
        EntropyScale = (float)EntropyScale,
    };

    public CrossEntropyLoss<T> For<T>(int classes)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        => new(classes)
        {
            LabelSmoothing = T.CreateTruncating(LabelSmoothing),
            Reduction = Reduction,
            Weight = Weight is null ? default : TestNumbers.To<T>(Weight),
            Softcap = T.CreateTruncating(Softcap),
            ZLossScale = T.CreateTruncating(ZLossScale),
            Temperature = T.CreateTruncating(Temperature),
            EntropyScale = T.CreateTruncating(EntropyScale),
            IgnoreIndex = IgnoreIndex,
        };
}

/// <summary>
/// The loss of docs/semantics.md with a temperature and an entropy bonus, straight from the definitions in double:
/// z = cap(x) / tau, log p = z - lse, H = -sum p log p, the loss minus b w[t] H (b H for probability targets).
/// </summary>
public static class OptionsOracle
{
    public sealed record Rows(double[] Losses, double[] LogSumExp, double[] Entropy, double Loss);

    public static Rows Hard(double[] x, int classes, int[] targets, LossOptions o) => Run(x, classes, targets, null, o);

    public static Rows Soft(double[] x, int classes, double[] probabilities, LossOptions o) => Run(x, classes, null, probabilities, o);

    /// <summary>sum_i lossGradients_i loss_i + sum_i entropyGradients_i H_i: what Backward differentiates.</summary>
    public static double BackwardObjective(Rows rows, double[] lossGradients, double[]? entropyGradients)
        => rows.Losses.Select((l, i) => (lossGradients[i] * l) + (entropyGradients is null ? 0 : entropyGradients[i] * rows.Entropy[i])).Sum();

    private static Rows Run(double[] x, int k, int[]? targets, double[]? q, LossOptions o)
    {
        int n = x.Length / k;
        var losses = new double[n];
        var lse = new double[n];
        var entropy = new double[n];
        double total = 0;
        double denominator = 0;
        double eps = o.LabelSmoothing;
        for (int i = 0; i < n; i++)
        {
            double[] z = Enumerable.Range(0, k)
                .Select(j => (o.Softcap > 0 ? o.Softcap * Math.Tanh(x[(i * k) + j] / o.Softcap) : x[(i * k) + j]) / o.Temperature)
                .ToArray();
            double m = z.Max();
            double s = z.Sum(v => Math.Exp(v - m));
            lse[i] = m + Math.Log(s);
            double[] logp = z.Select(v => v - lse[i]).ToArray();
            entropy[i] = -logp.Sum(l => Math.Exp(l) == 0 ? 0 : Math.Exp(l) * l);
            double loss;
            if (targets is not null)
            {
                int t = targets[i];
                if (t == o.IgnoreIndex)
                {
                    continue;
                }

                double wt = o.Weight?[t] ?? 1;
                loss = -(1 - eps) * wt * logp[t];
                if (eps != 0)
                {
                    loss -= eps / k * Enumerable.Range(0, k).Sum(j => (o.Weight?[j] ?? 1) * logp[j]);
                }

                loss += o.ZLossScale * wt * lse[i] * lse[i];
                loss -= o.EntropyScale * wt * entropy[i];
                denominator += wt;
            }
            else
            {
                loss = -Enumerable.Range(0, k).Sum(j => (o.Weight?[j] ?? 1) * (((1 - eps) * q![(i * k) + j]) + (eps / k)) * logp[j]);
                loss += (o.ZLossScale * lse[i] * lse[i]) - (o.EntropyScale * entropy[i]);
                denominator += 1;
            }

            losses[i] = loss;
            total += loss;
        }

        return new Rows(losses, lse, entropy, o.Reduction == Reduction.Sum ? total : total / denominator);
    }
}

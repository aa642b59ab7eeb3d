using System;

namespace LsrGen.Tests;

/// <summary>
/// A plain double-precision reference of CrossEntropyLoss with every training option (class weights, label smoothing,
/// z-loss, soft-cap, ignore index, Mean or Sum), written for clarity rather than speed: z = c tanh(x / c) with
/// Math.Tanh, and dz/dx = 1 / cosh^2(x / c), so no step of it cancels where tanh saturates.
/// </summary>
public static class TrainingOracle
{
    /// <param name="Classes">K.</param>
    /// <param name="LabelSmoothing">eps.</param>
    /// <param name="Weight">Class weights, or null.</param>
    /// <param name="ZLossScale">a.</param>
    /// <param name="Softcap">c, or 0 for none.</param>
    /// <param name="IgnoreIndex">The ignored class index (class-index targets).</param>
    /// <param name="Reduction">Mean or Sum.</param>
    public sealed record Options(int Classes, double LabelSmoothing, double[]? Weight, double ZLossScale, double Softcap, int IgnoreIndex, Reduction Reduction);

    /// <param name="Loss">The reduced loss.</param>
    /// <param name="Losses">Each row's loss.</param>
    /// <param name="LogSumExp">Each row's log-sum-exp of z.</param>
    /// <param name="Gradient">d(reduced loss)/dx.</param>
    /// <param name="Scale">The reduction's scale of the summed losses: 1 / D, 1 / N or 1.</param>
    public sealed record Result(double Loss, double[] Losses, double[] LogSumExp, double[] Gradient, double Scale);

    /// <summary>Class-index targets: the forward outputs and the fused gradient.</summary>
    public static Result Hard(double[] x, int[] targets, Options o)
    {
        int n = targets.Length;
        double[] lse = LogSumExp(x, o);
        var losses = new double[n];
        var denominator = default(CompensatedSum);
        for (int i = 0; i < n; i++)
        {
            if (targets[i] != o.IgnoreIndex)
            {
                losses[i] = ClassIndexLoss(x, i, targets[i], lse[i], o);
                denominator.Add(W(o, targets[i]));
            }
        }

        double scale = o.Reduction == Reduction.Mean ? 1 / denominator.Value : 1;
        double[] gradient = ClassIndexBackward(x, targets, lse, Filled(n, scale), o);
        return new Result(Total(losses) * scale, losses, lse, gradient, scale);
    }

    /// <summary>Class-index targets: Backward's gradient at the given log-sum-exp, times each row's upstream gradient.</summary>
    public static double[] ClassIndexBackward(double[] x, int[] targets, double[] lse, double[] upstream, Options o)
    {
        int k = o.Classes;
        double eps = o.LabelSmoothing;
        double weightTotal = WeightTotal(o);
        var gradient = new double[x.Length];
        for (int i = 0; i < targets.Length; i++)
        {
            int t = targets[i];
            if (t == o.IgnoreIndex)
            {
                continue;
            }

            double wt = W(o, t);
            for (int j = 0; j < k; j++)
            {
                double p = Math.Exp(Z(x[(i * k) + j], o) - lse[i]);
                double gz = ((1 - eps) * wt * (p - (j == t ? 1 : 0))) + (eps / k * ((weightTotal * p) - W(o, j))) + (2 * o.ZLossScale * wt * lse[i] * p);
                gradient[(i * k) + j] = upstream[i] * gz * Slope(x[(i * k) + j], o);
            }
        }

        return gradient;
    }

    /// <summary>Probability targets: the forward outputs and the fused gradient (Mean divides by N).</summary>
    public static Result Soft(double[] x, double[] q, Options o)
    {
        int n = x.Length / o.Classes;
        double[] lse = LogSumExp(x, o);
        var losses = new double[n];
        for (int i = 0; i < n; i++)
        {
            var loss = default(CompensatedSum);
            for (int j = 0; j < o.Classes; j++)
            {
                loss.Add(-W(o, j) * Smoothed(q, i, j, o) * (Z(x[(i * o.Classes) + j], o) - lse[i]));
            }

            losses[i] = loss.Value + (o.ZLossScale == 0 ? 0 : o.ZLossScale * lse[i] * lse[i]);
        }

        double scale = o.Reduction == Reduction.Mean ? 1.0 / n : 1;
        double[] gradient = ProbabilityBackward(x, q, lse, Filled(n, scale), o);
        return new Result(Total(losses) * scale, losses, lse, gradient, scale);
    }

    /// <summary>Probability targets: as <see cref="ClassIndexBackward"/>.</summary>
    public static double[] ProbabilityBackward(double[] x, double[] q, double[] lse, double[] upstream, Options o)
    {
        int k = o.Classes;
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length / k; i++)
        {
            var mass = default(CompensatedSum);
            for (int j = 0; j < k; j++)
            {
                mass.Add(W(o, j) * Smoothed(q, i, j, o));
            }

            for (int j = 0; j < k; j++)
            {
                double p = Math.Exp(Z(x[(i * k) + j], o) - lse[i]);
                double gz = (mass.Value * p) - (W(o, j) * Smoothed(q, i, j, o)) + (2 * o.ZLossScale * lse[i] * p);
                gradient[(i * k) + j] = upstream[i] * gz * Slope(x[(i * k) + j], o);
            }
        }

        return gradient;
    }

    /// <summary>
    /// The two parts of each element of Backward's gradient (<see cref="ClassIndexBackward"/>, <see cref="ProbabilityBackward"/>):
    /// <c>upstream * slope * p * A</c> and <c>-upstream * slope * B</c>, A the factor of p (class-index: keep w_t +
    /// spread W + 2 a w_t lse; probabilities: M + 2 a lse) and B the rest (spread w_j + [j == t] keep w_t, or w_j q'_j).
    /// An element computed from accurate parts is accurate relative to |pPart| + |rest| even where they cancel.
    /// </summary>
    public static (double[] PPart, double[] Others) BackwardParts(double[] x, int[]? targets, double[]? q, double[] lse, double[] upstream, Options o)
    {
        int k = o.Classes;
        var pPart = new double[x.Length];
        var rest = new double[x.Length];
        double keep = 1 - o.LabelSmoothing, spread = o.LabelSmoothing / k;
        double weightTotal = WeightTotal(o);
        for (int i = 0; i < lse.Length; i++)
        {
            double a;
            if (targets is not null)
            {
                if (targets[i] == o.IgnoreIndex)
                {
                    continue;
                }

                double wt = W(o, targets[i]);
                a = (keep * wt) + (spread * weightTotal) + (2 * o.ZLossScale * wt * lse[i]);
            }
            else
            {
                var mass = default(CompensatedSum);
                for (int j = 0; j < k; j++)
                {
                    mass.Add(W(o, j) * Smoothed(q!, i, j, o));
                }

                a = mass.Value + (2 * o.ZLossScale * lse[i]);
            }

            for (int j = 0; j < k; j++)
            {
                double b = targets is not null ? (spread * W(o, j)) + (j == targets[i] ? keep * W(o, j) : 0) : W(o, j) * Smoothed(q!, i, j, o);
                double factor = upstream[i] * Slope(x[(i * k) + j], o);
                pPart[(i * k) + j] = factor * Math.Exp(Z(x[(i * k) + j], o) - lse[i]) * a;
                rest[(i * k) + j] = -factor * b;
            }
        }

        return (pPart, rest);
    }

    /// <summary>z = c tanh(x / c), or x without a soft-cap.</summary>
    public static double Z(double x, Options o) => o.Softcap == 0 ? x : o.Softcap * Math.Tanh(x / o.Softcap);

    /// <summary>dz/dx = 1 / cosh^2(x / c) (0 where cosh overflows), or 1 without a soft-cap.</summary>
    public static double Slope(double x, Options o)
    {
        if (o.Softcap == 0)
        {
            return 1;
        }

        double cosh = Math.Cosh(x / o.Softcap);
        return 1 / (cosh * cosh);
    }

    private static double ClassIndexLoss(double[] x, int i, int t, double lse, Options o)
    {
        int k = o.Classes;
        double wt = W(o, t);
        double loss = (1 - o.LabelSmoothing) * -wt * (Z(x[(i * k) + t], o) - lse);
        if (o.LabelSmoothing != 0)
        {
            var smooth = default(CompensatedSum);
            for (int j = 0; j < k; j++)
            {
                smooth.Add(-W(o, j) * (Z(x[(i * k) + j], o) - lse));
            }

            loss += o.LabelSmoothing / k * smooth.Value;
        }

        return loss + (o.ZLossScale == 0 ? 0 : o.ZLossScale * wt * lse * lse);
    }

    private static double[] LogSumExp(double[] x, Options o)
    {
        int k = o.Classes;
        var lse = new double[x.Length / k];
        for (int i = 0; i < lse.Length; i++)
        {
            double m = double.NegativeInfinity;
            for (int j = 0; j < k; j++)
            {
                m = Math.Max(m, Z(x[(i * k) + j], o));
            }

            var s = default(CompensatedSum);
            for (int j = 0; j < k; j++)
            {
                s.Add(Math.Exp(Z(x[(i * k) + j], o) - m));
            }

            lse[i] = m + Math.Log(s.Value);
        }

        return lse;
    }

    private static double Smoothed(double[] q, int i, int j, Options o) => ((1 - o.LabelSmoothing) * q[(i * o.Classes) + j]) + (o.LabelSmoothing / o.Classes);

    private static double W(Options o, int j) => o.Weight is null ? 1 : o.Weight[j];

    private static double WeightTotal(Options o)
    {
        var total = default(CompensatedSum);
        for (int j = 0; j < o.Classes; j++)
        {
            total.Add(W(o, j));
        }

        return total.Value;
    }

    private static double Total(double[] values)
    {
        var total = default(CompensatedSum);
        foreach (double v in values)
        {
            total.Add(v);
        }

        return total.Value;
    }

    private static double[] Filled(int count, double value)
    {
        var result = new double[count];
        Array.Fill(result, value);
        return result;
    }
}

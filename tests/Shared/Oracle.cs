using System;

namespace LsrGen.Tests;

/// <summary>
/// A plain double-precision reference of docs/semantics.md sections 1-3, written for clarity rather than speed.
/// reduction null means PyTorch's "none": the loss is the sum of the per-row losses and the gradient that of the sum.
/// </summary>
public static class Oracle
{
    public sealed record Result(double Loss, double[] Losses, double[] Gradient);

    public static double[] LogSoftmax(double[] x, int k)
    {
        var y = new double[x.Length];
        for (int row = 0; row < x.Length / k; row++)
        {
            (double m, double s) = Stats(x, k, row);
            double ls = Math.Log(s);
            for (int j = 0; j < k; j++)
            {
                y[(row * k) + j] = (x[(row * k) + j] - m) - ls;
            }
        }

        return y;
    }

    public static double[] Softmax(double[] x, int k)
    {
        var y = new double[x.Length];
        for (int row = 0; row < x.Length / k; row++)
        {
            (double m, double s) = Stats(x, k, row);
            for (int j = 0; j < k; j++)
            {
                y[(row * k) + j] = Math.Exp(x[(row * k) + j] - m) / s;
            }
        }

        return y;
    }

    public static Result Hard(double[] x, int k, int[] targets, double eps, Reduction? reduction, int ignoreIndex, double[]? weight)
    {
        int n = targets.Length;
        double[] logp = LogSoftmax(x, k);
        double[] p = Softmax(x, k);
        var losses = new double[n];
        var grad = new double[x.Length];
        double d = 0;
        double wTotal = 0;
        for (int j = 0; j < k; j++)
        {
            wTotal += W(weight, j);
        }

        for (int i = 0; i < n; i++)
        {
            int t = targets[i];
            if (t == ignoreIndex)
            {
                continue;
            }

            d += W(weight, t);
            double nll = -W(weight, t) * logp[(i * k) + t];
            double loss = (1 - eps) * nll;
            if (eps != 0)
            {
                var smooth = default(CompensatedSum);
                for (int j = 0; j < k; j++)
                {
                    smooth.Add(-W(weight, j) * logp[(i * k) + j]);
                }

                loss += eps / k * smooth.Value;
            }

            losses[i] = loss;
            for (int j = 0; j < k; j++)
            {
                double pij = p[(i * k) + j];
                grad[(i * k) + j] = ((1 - eps) * W(weight, t) * (pij - (j == t ? 1 : 0))) + (eps / k * ((wTotal * pij) - W(weight, j)));
            }
        }

        var total0 = default(CompensatedSum);
        foreach (double l in losses)
        {
            total0.Add(l);
        }

        double sum = total0.Value;

        double scale = 1;
        double total = sum;
        if (reduction == Reduction.Mean)
        {
            total = d == 0 ? double.NaN : sum / d;
            scale = d == 0 ? double.NaN : 1 / d;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++)
            {
                grad[(i * k) + j] = targets[i] == ignoreIndex ? 0 : grad[(i * k) + j] * scale;
            }
        }

        return new Result(total, losses, grad);
    }

    public static Result Soft(double[] x, int k, double[] q, double eps, Reduction? reduction, double[]? weight)
    {
        int n = x.Length / k;
        double[] logp = LogSoftmax(x, k);
        double[] p = Softmax(x, k);
        var losses = new double[n];
        var grad = new double[x.Length];
        double scale = reduction == Reduction.Mean ? 1.0 / n : 1;
        var total = default(CompensatedSum);
        for (int i = 0; i < n; i++)
        {
            var lossSum = default(CompensatedSum);
            var massSum = default(CompensatedSum);
            for (int j = 0; j < k; j++)
            {
                double qs = ((1 - eps) * q[(i * k) + j]) + (eps / k);
                lossSum.Add(-(W(weight, j) * qs * logp[(i * k) + j]));
                massSum.Add(W(weight, j) * qs);
            }

            double loss = lossSum.Value;
            double mass = massSum.Value;
            losses[i] = loss;
            total.Add(loss);
            for (int j = 0; j < k; j++)
            {
                double qs = ((1 - eps) * q[(i * k) + j]) + (eps / k);
                grad[(i * k) + j] = ((mass * p[(i * k) + j]) - (W(weight, j) * qs)) * scale;
            }
        }

        double sum = total.Value;
        return new Result(reduction == Reduction.Mean ? sum / n : sum, losses, grad);
    }

    private static double W(double[]? weight, int j) => weight is null ? 1 : weight[j];

    private static (double Max, double Sum) Stats(double[] x, int k, int row)
    {
        double m = double.NegativeInfinity;
        bool nan = false;
        for (int j = 0; j < k; j++)
        {
            double v = x[(row * k) + j];
            nan |= double.IsNaN(v);
            m = Math.Max(m, v);
        }

        var s = default(CompensatedSum);
        for (int j = 0; j < k; j++)
        {
            s.Add(Math.Exp(x[(row * k) + j] - m));
        }

        return (nan ? double.NaN : m, nan ? double.NaN : s.Value);
    }
}

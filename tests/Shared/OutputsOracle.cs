using System;

namespace LsrGen.Tests;

/// <summary>
/// A plain double-precision reference of the softmax backwards and argmax (docs/semantics.md), from the exact values the
/// kernel is given (the float32 output and output gradient, widened).
/// </summary>
public static class OutputsOracle
{
    /// <summary>gx = gy - exp(y) * sum(gy) per row.</summary>
    public static double[] LogSoftmaxBackward(double[] y, double[] gy, int k)
    {
        var gx = new double[y.Length];
        for (int row = 0; row < y.Length / k; row++)
        {
            var total = default(CompensatedSum);
            for (int j = 0; j < k; j++)
            {
                total.Add(gy[(row * k) + j]);
            }

            double sum = total.Value;

            for (int j = 0; j < k; j++)
            {
                gx[(row * k) + j] = gy[(row * k) + j] - (Math.Exp(y[(row * k) + j]) * sum);
            }
        }

        return gx;
    }

    /// <summary>gx = p * (gp - sum(gp * p)) per row.</summary>
    public static double[] SoftmaxBackward(double[] p, double[] gp, int k)
    {
        var gx = new double[p.Length];
        for (int row = 0; row < p.Length / k; row++)
        {
            // Products of two float32 values are exact in double; the sum is compensated.
            var total = default(CompensatedSum);
            for (int j = 0; j < k; j++)
            {
                total.Add(gp[(row * k) + j] * p[(row * k) + j]);
            }

            double dot = total.Value;

            for (int j = 0; j < k; j++)
            {
                gx[(row * k) + j] = p[(row * k) + j] * (gp[(row * k) + j] - dot);
            }
        }

        return gx;
    }

    /// <summary>torch.argmax per row: the first NaN, else the first maximum (-0 == +0); 0 on a row of all -Inf.</summary>
    public static int[] ArgMax(double[] x, int k)
    {
        var best = new int[x.Length / k];
        for (int row = 0; row < best.Length; row++)
        {
            int index = 0;
            for (int j = 0; j < k; j++)
            {
                double v = x[(row * k) + j];
                if (double.IsNaN(v))
                {
                    index = j;
                    break;
                }

                if (v > x[(row * k) + index])
                {
                    index = j;
                }
            }

            best[row] = index;
        }

        return best;
    }
}

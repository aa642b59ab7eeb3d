using System;
using Xunit.Sdk;

namespace LsrGen.Tests;

/// <summary>
/// docs/semantics.md's per-row accuracy rule: where the target holds almost all the mass, a float per-row loss (eps 0,
/// no weight, soft-cap or z-loss) and LogSoftmax at the row max keep 1e-5 relative accuracy, down to losses of 1e-30.
/// The oracle is log1p of the other classes' exps, in double from the same float inputs.
/// </summary>
public static class PerRowAccuracySuite
{
    public static void Check(int classes, int seed)
    {
        var random = new Random(seed);
        const int rows = 37; // two whole 16-row blocks and leftovers
        float[] logits = new float[rows * classes];
        int[] targets = new int[rows];
        double[] expected = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            // The gap from the target to the others sets the loss: from about 1e-3 down to about 1e-30.
            double gap = 7 + (i * 1.7);
            targets[i] = random.Next(classes);
            double rest = 0;
            for (int j = 0; j < classes; j++)
            {
                float x = j == targets[i] ? (float)(random.NextDouble() * 4 - 2) : (float)(-gap - (random.NextDouble() * 3));
                logits[(i * classes) + j] = x;
            }

            float top = logits[(i * classes) + targets[i]];
            for (int j = 0; j < classes; j++)
            {
                if (j != targets[i])
                {
                    rest += Math.Exp((double)logits[(i * classes) + j] - top);
                }
            }

            expected[i] = LogOnePlus(rest);
        }

        float[] losses = TestNumbers.Poisoned<float>(rows);
        LsrKernels.CrossEntropy(logits, classes, targets, losses);
        Compare(expected, losses, $"K = {classes}, LsrKernels.CrossEntropy losses");

        float[] lse = TestNumbers.Poisoned<float>(rows);
        losses = TestNumbers.Poisoned<float>(rows);
        new CrossEntropyLoss<float>(classes).Forward(logits, targets, losses, lse);
        Compare(expected, losses, $"K = {classes}, CrossEntropyLoss.Forward losses");

        float[] logProbabilities = TestNumbers.Poisoned<float>(logits.Length);
        LsrKernels.LogSoftmax(logits, classes, logProbabilities);
        var atTarget = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            atTarget[i] = -logProbabilities[(i * classes) + targets[i]];
        }

        Compare(expected, atTarget, $"K = {classes}, -LogSoftmax at the target");
    }

    // log1p in double without the BCL's LogP1 (which computes log(1 + x)).
    private static double LogOnePlus(double x)
    {
        double u = 1 + x;
        return u == 1 ? x : Math.Log(u) - ((u - 1 - x) / u);
    }

    private static void Compare(double[] expected, float[] actual, string context)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = (1e-5 * Math.Abs(expected[i])) + 1e-37;
            if (!(Math.Abs(actual[i] - expected[i]) <= bound))
            {
                throw new XunitException($"{context}, row {i}: expected {expected[i]:R}, got {actual[i]:R}.");
            }
        }
    }
}

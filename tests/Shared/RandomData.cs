using System;

namespace LsrGen.Tests;

/// <summary>Random inputs. Every test run draws a fresh seed unless LSRGEN_TEST_SEED pins one; failures print it.</summary>
public static class RandomData
{
    public static readonly int RunSeed = Environment.GetEnvironmentVariable("LSRGEN_TEST_SEED") is { } s && int.TryParse(s, out int v)
        ? v
        : Random.Shared.Next();

    public static Random For(params int[] parts)
    {
        int seed = RunSeed;
        foreach (int part in parts)
        {
            seed = unchecked((seed * 31) + part);
        }

        return new Random(seed);
    }

    public static double[] Normal(Random random, int count, double sigma)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return values;
    }

    /// <summary>Targets in [0, K); about a fifth of the rows get <paramref name="ignoreIndex"/> when <paramref name="withIgnored"/>.</summary>
    public static int[] Targets(Random random, int rows, int classes, bool withIgnored, int ignoreIndex)
    {
        var targets = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            targets[i] = withIgnored && random.NextDouble() < 0.2 ? ignoreIndex : random.Next(classes);
        }

        return targets;
    }

    /// <summary>A batch as most tests draw it: N rows of K logits (sigma 3) and their targets, ignored ones -100.</summary>
    public static (T[] Logits, int[] Targets) Batch<T>(Random random, int rows, int classes, bool withIgnored = true)
        where T : System.Numerics.IFloatingPointIeee754<T>
        => (TestNumbers.To<T>(Normal(random, rows * classes, 3)), Targets(random, rows, classes, withIgnored, -100));

    /// <summary>A <see cref="Batch{T}(Random, int, int, bool)"/> drawn from a generator of its own, seeded by the shape and <paramref name="seed"/>.</summary>
    public static (T[] Logits, int[] Targets) Batch<T>(int rows, int classes, int seed)
        where T : System.Numerics.IFloatingPointIeee754<T>
        => Batch<T>(For(classes, rows, seed), rows, classes);

    public static double[] Weights(Random random, int classes)
    {
        var w = new double[classes];
        for (int j = 0; j < classes; j++)
        {
            w[j] = 0.1 + (1.9 * random.NextDouble());
        }

        return w;
    }

    /// <summary>Rows that are distributions (some entries exactly 0).</summary>
    public static double[] Probabilities(Random random, int rows, int classes)
    {
        var q = new double[rows * classes];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                double v = random.NextDouble() < 0.3 ? 0 : random.NextDouble();
                q[(i * classes) + j] = v;
                sum += v;
            }

            for (int j = 0; j < classes; j++)
            {
                q[(i * classes) + j] = sum == 0 ? 1.0 / classes : q[(i * classes) + j] / sum;
            }
        }

        return q;
    }
}

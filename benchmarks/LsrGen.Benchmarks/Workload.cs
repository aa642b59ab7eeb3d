using System;

namespace LsrGen.Benchmarks;

/// <summary>Fresh normal(0, 3) logits and random targets; N chosen per K as the benchmark plan says.</summary>
public sealed class Workload
{
    public const float LabelSmoothing = 0.1f;

    public Workload(int classes, int seed)
    {
        Classes = classes;
        Rows = RowsFor(classes);
        var random = new Random(seed);
        Logits = new float[Rows * classes];
        for (int i = 0; i < Logits.Length; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            Logits[i] = (float)(3 * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        Targets = new int[Rows];
        for (int i = 0; i < Rows; i++)
        {
            Targets[i] = random.Next(classes);
        }

        Gradient = new float[Logits.Length];
        Scratch = new float[classes];
    }

    public int Classes { get; }

    public int Rows { get; }

    public float[] Logits { get; }

    public int[] Targets { get; }

    public float[] Gradient { get; }

    public float[] Scratch { get; }

    /// <summary>Rows of random probabilities (uniform draws normalised to sum 1), for probability targets.</summary>
    public static float[] RandomProbabilities(int rows, int classes, int seed)
    {
        var random = new Random(seed);
        var q = new float[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = q.AsSpan(r * classes, classes);
            double sum = 0;
            for (int k = 0; k < classes; k++)
            {
                row[k] = (float)random.NextDouble();
                sum += row[k];
            }

            for (int k = 0; k < classes; k++)
            {
                row[k] = (float)(row[k] / sum);
            }
        }

        return q;
    }

    public static int RowsFor(int classes) => classes <= 100 ? 4096 : classes <= 1000 ? 1024 : 128;

    /// <summary>
    /// The K values of the comma-separated LSRGEN_K that appear in <paramref name="all"/> (all of them when it is unset),
    /// so an A/B run can pick a few K of a class whose parameters are fixed.
    /// </summary>
    public static int[] ClassCounts(params int[] all)
    {
        string? chosen = Environment.GetEnvironmentVariable("LSRGEN_K");
        if (string.IsNullOrWhiteSpace(chosen))
        {
            return all;
        }

        string[] names = chosen.Split(',', StringSplitOptions.TrimEntries);
        int[] picked = Array.FindAll(all, k => Array.IndexOf(names, k.ToString(System.Globalization.CultureInfo.InvariantCulture)) >= 0);
        return picked.Length > 0 ? picked : all;
    }
}

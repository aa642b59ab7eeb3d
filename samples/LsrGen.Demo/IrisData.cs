using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace LsrGen.Demo;

/// <summary>The Iris data set: standardised features, class indices, and a fixed shuffled train/test split.</summary>
internal sealed class IrisData
{
    public static readonly string[] Species = ["setosa", "versicolor", "virginica"];

    private IrisData(float[] features, int[] labels)
    {
        Features = features;
        Labels = labels;
    }

    public const int FeatureCount = 4;

    public float[] Features { get; }

    public int[] Labels { get; }

    public int Count => Labels.Length;

    public static (IrisData Train, IrisData Test) LoadSplit(string path, double testShare, int seed)
    {
        var rows = new List<(float[] X, int Y)>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.StartsWith("sepal_length", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            var x = new float[FeatureCount];
            for (int j = 0; j < FeatureCount; j++)
            {
                x[j] = float.Parse(cells[j], CultureInfo.InvariantCulture);
            }

            rows.Add((x, Array.IndexOf(Species, cells[FeatureCount].Trim())));
        }

        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows));
        int testCount = (int)Math.Round(rows.Count * testShare);
        IrisData test = Build(rows.GetRange(0, testCount));
        IrisData train = Build(rows.GetRange(testCount, rows.Count - testCount));
        Standardise(train, test);
        return (train, test);
    }

    private static IrisData Build(List<(float[] X, int Y)> rows)
    {
        var features = new float[rows.Count * FeatureCount];
        var labels = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            rows[i].X.CopyTo(features, i * FeatureCount);
            labels[i] = rows[i].Y;
        }

        return new IrisData(features, labels);
    }

    // Scale with the training set's statistics only, so the test set stays unseen.
    private static void Standardise(IrisData train, IrisData test)
    {
        for (int j = 0; j < FeatureCount; j++)
        {
            double mean = 0;
            double squares = 0;
            for (int i = 0; i < train.Count; i++)
            {
                mean += train.Features[(i * FeatureCount) + j];
            }

            mean /= train.Count;
            for (int i = 0; i < train.Count; i++)
            {
                double d = train.Features[(i * FeatureCount) + j] - mean;
                squares += d * d;
            }

            double std = Math.Sqrt(squares / train.Count);
            foreach (IrisData set in new[] { train, test })
            {
                for (int i = 0; i < set.Count; i++)
                {
                    set.Features[(i * FeatureCount) + j] = (float)((set.Features[(i * FeatureCount) + j] - mean) / std);
                }
            }
        }
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Numerics;
using System.Text.Json;

namespace LsrGen.Tests;

/// <summary>The PyTorch cases of Golden/torch-cases.json (PyTorch 2.10 results with a float64 oracle for each case).</summary>
public sealed record GoldenCase(
    string Id, string Kind, int K, int N, double LabelSmoothing, Reduction? Reduction, int IgnoreIndex, double[]? Weight,
    double[] Logits, int[]? Targets, double[]? Probabilities,
    double Loss, double[] Losses, double[] LogSoftmax, double[] Softmax, double[] Gradient)
{
    public override string ToString() => Id;
}

public sealed record GoldenGather(int[] InputShape, double[] Input, int Dim, int[] IndexShape, int[] Index, double[] Output);

public static class GoldenFile
{
    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "torch-cases.json"))));

    public static IReadOnlyList<GoldenCase> Cases { get; } = s_document.Value.RootElement.GetProperty("cases").EnumerateArray().Select(ReadCase).ToList();

    public static IReadOnlyList<GoldenGather> Gathers { get; } = s_document.Value.RootElement.GetProperty("gather").EnumerateArray().Select(g => new GoldenGather(
        Ints(g.GetProperty("input_shape")), Doubles(g.GetProperty("input")), g.GetProperty("dim").GetInt32(),
        Ints(g.GetProperty("index_shape")), Ints(g.GetProperty("index")), Doubles(g.GetProperty("output")))).ToList();

    private static GoldenCase ReadCase(JsonElement c)
    {
        JsonElement f64 = c.GetProperty("f64");
        string reduction = c.GetProperty("reduction").GetString()!;
        return new GoldenCase(
            c.GetProperty("id").GetString()!,
            c.GetProperty("kind").GetString()!,
            c.GetProperty("K").GetInt32(),
            c.GetProperty("N").GetInt32(),
            c.GetProperty("label_smoothing").GetDouble(),
            reduction switch { "mean" => LsrGen.Reduction.Mean, "sum" => LsrGen.Reduction.Sum, _ => null },
            c.GetProperty("ignore_index").GetInt32(),
            c.GetProperty("weight").ValueKind == JsonValueKind.Null ? null : Float32(c.GetProperty("weight")),
            Float32(c.GetProperty("logits")),
            c.TryGetProperty("targets", out JsonElement t) ? Ints(t) : null,
            c.TryGetProperty("probabilities", out JsonElement q) ? Float32(q) : null,
            Number(f64.GetProperty("loss")),
            Doubles(f64.GetProperty("losses")),
            Doubles(f64.GetProperty("log_softmax")),
            Doubles(f64.GetProperty("softmax")),
            Doubles(f64.GetProperty("grad")));
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture)
        : e.GetDouble();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    // Inputs are float32 values printed in their shortest form; the oracle saw the exact float32 values.
    private static double[] Float32(JsonElement e) => e.EnumerateArray().Select(x => (double)(float)Number(x)).ToArray();

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}

/// <summary>One golden case through an <see cref="ILsrApi{T}"/>, against its float64 oracle.</summary>
public static class GoldenSuite
{
    public static void Check<T>(ILsrApi<T> api, string id)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GoldenCase c = GoldenFile.Cases.Single(x => x.Id == id);
        bool isFloat = TestNumbers.IsFloat<T>();
        T[] logits = TestNumbers.To<T>(c.Logits);
        T[] w = c.Weight is null ? [] : TestNumbers.To<T>(c.Weight);
        T eps = T.CreateTruncating(c.LabelSmoothing);
        Quantity lossQuantity = c.K > 32768 ? Quantity.WideLoss : Quantity.Other;

        T[] logp = TestNumbers.Poisoned<T>(logits.Length);
        api.LogSoftmax(logits, c.K, logp);
        Tolerance.Close(c.LogSoftmax, TestNumbers.ToDouble<T>(logp), isFloat, Quantity.Other, $"{id} log_softmax");
        T[] p = TestNumbers.Poisoned<T>(logits.Length);
        api.Softmax(logits, c.K, p);
        Tolerance.Close(c.Softmax, TestNumbers.ToDouble<T>(p), isFloat, Quantity.Probability, $"{id} softmax");

        T[] losses = TestNumbers.Poisoned<T>(c.N);
        T[] gradient = TestNumbers.Poisoned<T>(logits.Length);
        T reduced;
        T fused;
        double[] expectedGradient = c.Gradient.ToArray();
        Reduction gradientReduction = c.Reduction ?? Reduction.Sum;
        if (c.Kind == "hard")
        {
            api.CrossEntropy(logits, c.K, c.Targets, losses, eps, c.IgnoreIndex, w);
            reduced = api.CrossEntropy(logits, c.K, c.Targets, eps, gradientReduction, c.IgnoreIndex, w);
            fused = api.CrossEntropyWithGradient(logits, c.K, c.Targets, gradient, eps, gradientReduction, c.IgnoreIndex, w);

            // docs/semantics.md: an ignored row's gradient is 0 even where PyTorch propagates NaN from its logits.
            for (int i = 0; i < c.N; i++)
            {
                if (c.Targets![i] == c.IgnoreIndex)
                {
                    for (int j = 0; j < c.K; j++)
                    {
                        expectedGradient[(i * c.K) + j] = 0;
                    }
                }
            }
        }
        else
        {
            T[] q = TestNumbers.To<T>(c.Probabilities!);
            api.CrossEntropy(logits, c.K, q, losses, eps, w);
            reduced = api.CrossEntropy(logits, c.K, q, eps, gradientReduction, w);
            fused = api.CrossEntropyWithGradient(logits, c.K, q, gradient, eps, gradientReduction, w);
        }

        Tolerance.Close(c.Losses, TestNumbers.ToDouble<T>(losses), isFloat, lossQuantity, $"{id} losses");
        Tolerance.Close(c.Loss, double.CreateTruncating(reduced), isFloat, lossQuantity, $"{id} loss");
        Tolerance.Close(c.Loss, double.CreateTruncating(fused), isFloat, lossQuantity, $"{id} fused loss");
        Tolerance.Close(expectedGradient, TestNumbers.ToDouble<T>(gradient), isFloat, Quantity.Other, $"{id} gradient");
    }
}

using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LsrGen.Tests;

/// <summary>The PyTorch cases of Golden/torch-cases.json (copied from shared/golden; schema in its README).</summary>
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

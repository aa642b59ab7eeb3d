using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace LsrGen.Tests;

/// <summary>
/// One case of Golden/training-cases.json: PyTorch float64 autograd results for CrossEntropyLoss's options (soft-cap,
/// z-loss, per-row log-sum-exp, Backward from per-row upstream gradients), from float32 inputs.
/// </summary>
public sealed record TrainingCase(
    string Id, string Kind, int K, int N, double LabelSmoothing, Reduction Reduction, int IgnoreIndex, double Softcap,
    double ZLossScale, double[]? Weight, double[] Logits, int[]? Targets, double[]? Probabilities, double[] LossGradients,
    double Loss, double[] Losses, double[] LogSumExp, double[] Gradient, double[] BackwardGradientAtLse,
    double[] BackwardGradientAtFloatLse, string[] Tags)
{
    public bool IsClassIndex => Kind == "hard";

    public override string ToString() => Id;
}

public static class TrainingFile
{
    private static readonly Lazy<IReadOnlyList<TrainingCase>> s_cases = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "training-cases.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(Read).ToList();
    });

    public static IReadOnlyList<TrainingCase> Cases => s_cases.Value;

    public static IEnumerable<object[]> Ids => Cases.Select(c => new object[] { c.Id });

    public static TrainingCase Get(string id) => Cases.Single(c => c.Id == id);

    internal static TrainingCase Read(JsonElement c)
    {
        JsonElement f64 = c.GetProperty("f64");
        return new TrainingCase(
            c.GetProperty("id").GetString()!,
            c.GetProperty("kind").GetString()!,
            c.GetProperty("K").GetInt32(),
            c.GetProperty("N").GetInt32(),
            c.GetProperty("label_smoothing").GetDouble(),
            c.GetProperty("reduction").GetString() == "sum" ? Reduction.Sum : Reduction.Mean,
            c.GetProperty("ignore_index").GetInt32(),
            c.GetProperty("softcap").GetDouble(),
            c.GetProperty("z_loss_scale").GetDouble(),
            c.GetProperty("weight").ValueKind == JsonValueKind.Null ? null : Float32(c.GetProperty("weight")),
            Float32(c.GetProperty("logits")),
            c.TryGetProperty("targets", out JsonElement t) ? t.EnumerateArray().Select(x => x.GetInt32()).ToArray() : null,
            c.TryGetProperty("probabilities", out JsonElement q) ? Float32(q) : null,
            Float32(c.GetProperty("loss_gradients")),
            Number(f64.GetProperty("loss")),
            Doubles(f64.GetProperty("losses")),
            Doubles(f64.GetProperty("lse")),
            Doubles(f64.GetProperty("grad")),
            Doubles(f64.GetProperty("backward_grad_at_lse")),
            Doubles(f64.GetProperty("backward_grad_at_lse_f32")),
            c.GetProperty("tags").EnumerateArray().Select(x => x.GetString()!).ToArray());
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture)
        : e.GetDouble();

    internal static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    private static double[] Float32(JsonElement e) => e.EnumerateArray().Select(x => (double)(float)Number(x)).ToArray();
}

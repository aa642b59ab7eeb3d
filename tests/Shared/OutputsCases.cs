using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace LsrGen.Tests;

/// <summary>
/// One softmax-backward case of Golden/outputs-cases.json: the float32 forward output and output gradient a kernel is
/// given, and the float64 closed form at exactly those values.
/// </summary>
public sealed record BackwardCase(string Id, bool LogSoftmax, int K, int N, double[] Output, double[] OutputGradient, double[] InputGradient)
{
    public override string ToString() => Id;
}

/// <summary>One ArgMax case of Golden/outputs-cases.json: float32 values and torch.argmax's answer.</summary>
public sealed record ArgMaxCase(string Id, int K, int N, double[] Values, int[] ArgMax)
{
    public override string ToString() => Id;
}

public static class OutputsFile
{
    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", "outputs-cases.json"))));

    public static IReadOnlyList<BackwardCase> Backwards { get; } =
        [.. Read("log_softmax_backward", logSoftmax: true), .. Read("softmax_backward", logSoftmax: false)];

    /// <summary>Gets every case's id: the softmax backwards', then ArgMax's.</summary>
    public static IEnumerable<string> Ids => Backwards.Select(c => c.Id).Concat(ArgMaxes.Select(c => c.Id));

    public static IReadOnlyList<ArgMaxCase> ArgMaxes { get; } = s_document.Value.RootElement.GetProperty("argmax").EnumerateArray()
        .Select(c => new ArgMaxCase(
            c.GetProperty("id").GetString()!, c.GetProperty("K").GetInt32(), c.GetProperty("N").GetInt32(),
            Float32(c.GetProperty("values")), c.GetProperty("argmax").EnumerateArray().Select(x => x.GetInt32()).ToArray()))
        .ToList();

    private static IEnumerable<BackwardCase> Read(string section, bool logSoftmax)
        => s_document.Value.RootElement.GetProperty(section).EnumerateArray().Select(c => new BackwardCase(
            c.GetProperty("id").GetString()!, logSoftmax, c.GetProperty("K").GetInt32(), c.GetProperty("N").GetInt32(),
            Float32(c.GetProperty("output")), Float32(c.GetProperty("output_gradient")),
            Doubles(c.GetProperty("f64").GetProperty("input_gradient"))));

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String
        ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)
        : e.GetDouble();

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    private static double[] Float32(JsonElement e) => e.EnumerateArray().Select(x => (double)(float)Number(x)).ToArray();
}

/// <summary>The golden softmax backwards and ArgMax cases through one <see cref="ILsrApi{T}"/>.</summary>
public static class OutputsGoldenSuite
{
    /// <summary>The class count of case <paramref name="id"/>.</summary>
    public static int ClassesOf(string id)
        => OutputsFile.Backwards.SingleOrDefault(c => c.Id == id)?.K ?? OutputsFile.ArgMaxes.Single(c => c.Id == id).K;

    /// <summary>Case <paramref name="id"/> (a backward or an ArgMax case) through a float and a double API.</summary>
    public static void Check(string id, ILsrApi<float> floats, ILsrApi<double> doubles)
    {
        if (OutputsFile.Backwards.SingleOrDefault(c => c.Id == id) is { } backward)
        {
            CheckBackward(floats, backward);
            CheckBackward(doubles, backward);
            return;
        }

        ArgMaxCase argMax = OutputsFile.ArgMaxes.Single(c => c.Id == id);
        CheckArgMax(floats, argMax);
        CheckArgMax(doubles, argMax);
    }

    public static void CheckBackward<T>(ILsrApi<T> api, BackwardCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        string where = $"{api.Name} {c.Id}";
        T[] inputGradient = TestNumbers.Poisoned<T>(c.Output.Length);
        if (c.LogSoftmax)
        {
            api.LogSoftmaxBackward(TestNumbers.To<T>(c.Output), TestNumbers.To<T>(c.OutputGradient), c.K, inputGradient);
        }
        else
        {
            api.SoftmaxBackward(TestNumbers.To<T>(c.Output), TestNumbers.To<T>(c.OutputGradient), c.K, inputGradient);
        }

        Tolerance.Close(c.InputGradient, TestNumbers.ToDouble<T>(inputGradient), TestNumbers.IsFloat<T>(), Quantity.Other, where);

        // The suite's own closed form agrees with the file's, so the random tests measure against the same thing.
        double[] oracle = c.LogSoftmax ? OutputsOracle.LogSoftmaxBackward(c.Output, c.OutputGradient, c.K) : OutputsOracle.SoftmaxBackward(c.Output, c.OutputGradient, c.K);
        Tolerance.Close(c.InputGradient, oracle, isFloat: false, Quantity.Other, $"{where} (test oracle)");
    }

    public static void CheckArgMax<T>(ILsrApi<T> api, ArgMaxCase c)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int[] predictions = new int[c.N];
        Array.Fill(predictions, -1);
        api.ArgMax(TestNumbers.To<T>(c.Values), c.K, predictions);
        Xunit.Assert.Equal(c.ArgMax, predictions);
        Xunit.Assert.Equal(c.ArgMax, OutputsOracle.ArgMax(c.Values, c.K));
    }
}

using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using System.Text.Json;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// One loss case of Golden/outputs-cases.json: a <see cref="TrainingCase"/> plus a temperature and an entropy scale,
/// with PyTorch's float64 per-row entropy and the predictions torch.argmax gives.
/// </summary>
public sealed record OutputsLossCase(TrainingCase Training, double Temperature, double EntropyScale, double[] Entropy, int[] Predictions)
{
    public string Id => Training.Id;

    public override string ToString() => Id;
}

public static class OutputsLossFile
{
    private static readonly Lazy<IReadOnlyList<OutputsLossCase>> s_cases = new(() =>
    {
        using JsonDocument document = JsonDocument.Parse(System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Golden", "outputs-cases.json")));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new OutputsLossCase(
            TrainingFile.Read(c),
            c.GetProperty("temperature").GetDouble(),
            c.GetProperty("entropy_scale").GetDouble(),
            TrainingFile.Doubles(c.GetProperty("f64").GetProperty("entropy")),
            c.GetProperty("predictions").EnumerateArray().Select(x => x.GetInt32()).ToArray())).ToList();
    });

    public static IReadOnlyList<OutputsLossCase> Cases => s_cases.Value;

    public static IEnumerable<object[]> Ids => Cases.Select(c => new object[] { c.Id });

    public static OutputsLossCase Get(string id) => Cases.Single(c => c.Id == id);

    /// <summary>The cases the per-row accuracy rule covers: hard targets, eps 0, no weight, soft-cap, z-loss or entropy term.</summary>
    public static IEnumerable<object[]> PerRowAccuracyIds => Cases
        .Where(c => c.Training.IsClassIndex && c.Training.LabelSmoothing == 0 && c.Training.Weight is null && c.Training.Softcap == 0
            && c.Training.ZLossScale == 0 && c.EntropyScale == 0)
        .Select(c => new object[] { c.Id });
}

/// <summary>
/// Runs one outputs loss case through every member of <see cref="CrossEntropyLoss{T}"/>, with every combination of
/// the optional per-row outputs, against the float64 oracle (section 6's bounds; NaN-poisoned outputs).
/// </summary>
public static class OutputsLossSuite
{
    public static CrossEntropyLoss<T> Loss<T>(OutputsLossCase c)
        where T : unmanaged, IFloatingPointIeee754<T>
        => new(c.Training.K)
        {
            Reduction = c.Training.Reduction,
            LabelSmoothing = T.CreateTruncating(c.Training.LabelSmoothing),
            IgnoreIndex = c.Training.IgnoreIndex,
            Weight = c.Training.Weight is null ? default : TestNumbers.To<T>(c.Training.Weight),
            Softcap = T.CreateTruncating(c.Training.Softcap),
            ZLossScale = T.CreateTruncating(c.Training.ZLossScale),
            Temperature = T.CreateTruncating(c.Temperature),
            EntropyScale = T.CreateTruncating(c.EntropyScale),
        };

    public static void Check<T>(string id, bool expectSpecialized)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        OutputsLossCase oc = OutputsLossFile.Get(id);
        TrainingCase c = oc.Training;
        bool isFloat = TestNumbers.IsFloat<T>();
        CrossEntropyLoss<T> loss = Loss<T>(oc);
        Assert.Equal(expectSpecialized, loss.IsSpecialized);
        T[] logits = TestNumbers.To<T>(c.Logits);
        T[] probabilities = c.Probabilities is null ? [] : TestNumbers.To<T>(c.Probabilities);
        int[] targets = c.Targets ?? [];
        double extra = !isFloat && c.Softcap != 0 ? 1e-13 : 0;
        string name = $"{id} {typeof(T).Name}";

        T reduced = c.IsClassIndex ? loss.Forward(logits, targets) : loss.Forward(logits, probabilities);
        TrainingSuite.Near(c.Loss, double.CreateTruncating(reduced), isFloat, extra, $"{name} Forward");

        // Every combination of the four per-row outputs, through Forward and ForwardBackward.
        T[]? firstGradient = null;
        for (int mask = 0; mask < 16; mask++)
        {
            Outputs<T> forward = new(c.N, mask);
            if (c.IsClassIndex)
            {
                loss.Forward(logits, targets, forward.Losses, forward.LogSumExp, forward.Entropy, forward.Predictions);
            }
            else
            {
                loss.Forward(logits, probabilities, forward.Losses, forward.LogSumExp, forward.Entropy, forward.Predictions);
            }

            forward.Verify(oc, isFloat, extra, $"{name} Forward outputs {mask}");

            Outputs<T> fused = new(c.N, mask);
            T[] gradient = TestNumbers.Poisoned<T>(logits.Length);
            T total = c.IsClassIndex
                ? loss.ForwardBackward(logits, targets, gradient, fused.Losses, fused.LogSumExp, fused.Entropy, fused.Predictions)
                : loss.ForwardBackward(logits, probabilities, gradient, fused.Losses, fused.LogSumExp, fused.Entropy, fused.Predictions);
            TrainingSuite.Near(c.Loss, double.CreateTruncating(total), isFloat, extra, $"{name} ForwardBackward loss {mask}");
            TrainingSuite.Near(c.Gradient, gradient, isFloat, extra, $"{name} ForwardBackward gradient {mask}");
            fused.Verify(oc, isFloat, extra, $"{name} ForwardBackward outputs {mask}");
            firstGradient ??= gradient;

            // In place: the same bits, predictions read before the gradient replaces the logits.
            T[] inPlace = (T[])logits.Clone();
            Outputs<T> inPlaceOutputs = new(c.N, mask);
            T inPlaceTotal = c.IsClassIndex
                ? loss.ForwardBackward(inPlace, targets, inPlace, inPlaceOutputs.Losses, inPlaceOutputs.LogSumExp, inPlaceOutputs.Entropy, inPlaceOutputs.Predictions)
                : loss.ForwardBackward(inPlace, probabilities, inPlace, inPlaceOutputs.Losses, inPlaceOutputs.LogSumExp, inPlaceOutputs.Entropy, inPlaceOutputs.Predictions);
            Assert.Equal(TrainingSuite.Bits(total), TrainingSuite.Bits(inPlaceTotal));
            Assert.Equal(gradient.Select(TrainingSuite.Bits), inPlace.Select(TrainingSuite.Bits));
            inPlaceOutputs.Verify(oc, isFloat, extra, $"{name} ForwardBackward in place outputs {mask}");
        }

        // Backward from a known log-sum-exp (the oracle's, rounded to T), out of place and in place.
        T[] givenLse = TestNumbers.To<T>(c.LogSumExp);
        T[] upstream = TestNumbers.To<T>(c.LossGradients);
        double[] expected = isFloat ? c.BackwardGradientAtFloatLse : c.BackwardGradientAtLse;
        T[] backward = TestNumbers.Poisoned<T>(logits.Length);
        RunBackward(loss, c, logits, probabilities, targets, givenLse, upstream, backward);
        TrainingSuite.Near(expected, backward, isFloat, extra, $"{name} Backward");
        T[] backwardInPlace = (T[])logits.Clone();
        RunBackward(loss, c, backwardInPlace, probabilities, targets, givenLse, upstream, backwardInPlace);
        Assert.Equal(backward.Select(TrainingSuite.Bits), backwardInPlace.Select(TrainingSuite.Bits));
    }

    /// <summary>Section 6's per-row rule at any temperature: float losses within 1e-5 |ref| + 1e-37.</summary>
    public static void CheckPerRowAccuracy(string id)
    {
        OutputsLossCase oc = OutputsLossFile.Get(id);
        TrainingCase c = oc.Training;
        float[] losses = TestNumbers.Poisoned<float>(c.N);
        Loss<float>(oc).Forward(TestNumbers.To<float>(c.Logits), c.Targets, losses);
        for (int i = 0; i < c.N; i++)
        {
            double bound = (1e-5 * Math.Abs(c.Losses[i])) + 1e-37;
            Assert.True(Math.Abs(losses[i] - c.Losses[i]) <= bound, $"{id} row {i}: expected {c.Losses[i]:R}, got {losses[i]:R} (bound {bound:G3}).");
        }
    }

    private static void RunBackward<T>(
        CrossEntropyLoss<T> loss, TrainingCase c, T[] logits, T[] probabilities, int[] targets, T[] lse, T[] upstream, T[] gradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (c.IsClassIndex)
        {
            loss.Backward(logits, targets, lse, upstream, gradient);
        }
        else
        {
            loss.Backward(logits, probabilities, lse, upstream, gradient);
        }
    }

    /// <summary>The per-row outputs a mask asks for (bit 0 losses, 1 lse, 2 entropy, 3 predictions), poisoned.</summary>
    private sealed class Outputs<T>(int rows, int mask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] Losses { get; } = (mask & 1) != 0 ? TestNumbers.Poisoned<T>(rows) : [];

        public T[] LogSumExp { get; } = (mask & 2) != 0 ? TestNumbers.Poisoned<T>(rows) : [];

        public T[] Entropy { get; } = (mask & 4) != 0 ? TestNumbers.Poisoned<T>(rows) : [];

        public int[] Predictions { get; } = (mask & 8) != 0 ? Enumerable.Repeat(-1, rows).ToArray() : [];

        public void Verify(OutputsLossCase c, bool isFloat, double extra, string context)
        {
            if (Losses.Length > 0)
            {
                TrainingSuite.Near(c.Training.Losses, Losses, isFloat, extra, $"{context} losses");
            }

            if (LogSumExp.Length > 0)
            {
                TrainingSuite.Near(c.Training.LogSumExp, LogSumExp, isFloat, extra, $"{context} logSumExp");
            }

            if (Entropy.Length > 0)
            {
                TrainingSuite.Near(c.Entropy, Entropy, isFloat, extra, $"{context} entropy");
            }

            if (Predictions.Length > 0)
            {
                Assert.Equal(c.Predictions, Predictions);
            }
        }
    }
}

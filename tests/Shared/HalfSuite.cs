using System;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// Half logits: the result must be the float kernels' result on the widened logits (a matrix rounded to Half once,
/// losses as float, bit for bit, so routing to a generated kernel holds too), and within the accuracy bounds of the
/// float64 oracle computed from the same Half inputs: one Half ulp for a Half output, the float bounds for a float one.
/// Outputs start NaN-poisoned, so an unwritten element fails.
/// </summary>
public static class HalfSuite
{
    public static void MatchesFloatOnWidenedLogits(int classes, int rows, int seed)
    {
        Random random = RandomData.For(classes, rows, seed, 17);
        Half[] logits = Array.ConvertAll(RandomData.Normal(random, rows * classes, 3), v => (Half)v);
        float[] widened = Array.ConvertAll(logits, h => (float)h);
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        float[] weight = Array.ConvertAll(RandomData.Weights(random, classes), v => (float)v);
        string context = $"K = {classes}, N = {rows}, seed {RandomData.RunSeed}/{seed}";

        Half[] half = Poisoned(rows * classes);
        float[] single = new float[rows * classes];
        LsrKernels.LogSoftmax(logits, classes, half);
        LsrKernels.LogSoftmax(widened, classes, single);
        AssertRounded(single, half, $"LogSoftmax, {context}");
        half = Poisoned(rows * classes);
        LsrKernels.Softmax(logits, classes, half);
        LsrKernels.Softmax(widened, classes, single);
        AssertRounded(single, half, $"Softmax, {context}");

        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum })
        {
            AssertSame(
                LsrKernels.CrossEntropy(widened, classes, targets, 0.1f, reduction, -100, weight),
                LsrKernels.CrossEntropy(logits, classes, targets, 0.1f, reduction, -100, weight),
                $"CrossEntropy {reduction}, {context}");
        }

        float[] lossesHalf = PoisonedFloat(rows), lossesFloat = new float[rows];
        LsrKernels.CrossEntropy(logits, classes, targets, lossesHalf, 0.1f, -100, weight);
        LsrKernels.CrossEntropy(widened, classes, targets, lossesFloat, 0.1f, -100, weight);
        TensorSpanSuite<float>.AssertSameBits(lossesFloat, lossesHalf, $"per-row CrossEntropy, {context}");

        foreach (bool inPlace in new[] { false, true })
        {
            Half[] gradientHalf = inPlace ? (Half[])logits.Clone() : Poisoned(rows * classes);
            float[] gradientFloat = inPlace ? (float[])widened.Clone() : new float[rows * classes];
            float lossHalf = LsrKernels.CrossEntropyWithGradient(inPlace ? gradientHalf : logits, classes, targets, gradientHalf, 0.1f, Reduction.Mean, -100, weight);
            float lossFloat = LsrKernels.CrossEntropyWithGradient(inPlace ? gradientFloat : widened, classes, targets, gradientFloat, 0.1f, Reduction.Mean, -100, weight);
            AssertSame(lossFloat, lossHalf, $"CrossEntropyWithGradient, in place {inPlace}, {context}");
            AssertRounded(gradientFloat, gradientHalf, $"CrossEntropyWithGradient gradient, in place {inPlace}, {context}");
        }

        var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, Weight = weight, ZLossScale = 1e-3f, Softcap = 5 };
        float[] upstream = Array.ConvertAll(RandomData.Normal(random, rows, 1), v => (float)v);
        AssertSame(loss.Forward(widened, targets), loss.Forward(logits, targets), $"Loss.Forward, {context}");
        float[] lse = PoisonedFloat(rows), lseFloat = new float[rows];
        lossesHalf = PoisonedFloat(rows);
        loss.Forward(logits, targets, lossesHalf, lse);
        loss.Forward(widened, targets, lossesFloat, lseFloat);
        TensorSpanSuite<float>.AssertSameBits(lossesFloat, lossesHalf, $"Loss.Forward per row, {context}");
        TensorSpanSuite<float>.AssertSameBits(lseFloat, lse, $"Loss.Forward log-sum-exp, {context}");
        Half[] fusedHalf = Poisoned(rows * classes);
        float[] fusedFloat = new float[rows * classes];
        AssertSame(loss.ForwardBackward(widened, targets, fusedFloat), loss.ForwardBackward(logits, targets, fusedHalf), $"Loss.ForwardBackward, {context}");
        AssertRounded(fusedFloat, fusedHalf, $"Loss.ForwardBackward gradient, {context}");
        Half[] backHalf = (Half[])logits.Clone();
        float[] backFloat = (float[])widened.Clone();
        loss.Backward(backHalf, targets, lse, upstream, backHalf);
        loss.Backward(backFloat, targets, lseFloat, upstream, backFloat);
        AssertRounded(backFloat, backHalf, $"Loss.Backward in place, {context}");
    }

    /// <summary>Half outputs within one Half ulp of the correctly rounded float64 oracle; float losses within the float bounds.</summary>
    public static void WithinTheOracleBounds(int classes, int rows, int seed)
    {
        Random random = RandomData.For(classes, rows, seed, 23);
        Half[] logits = Array.ConvertAll(RandomData.Normal(random, rows * classes, 4), v => (Half)v);
        double[] exact = Array.ConvertAll(logits, h => (double)h);
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        double[] weight = RandomData.Weights(random, classes);
        float[] weightFloat = Array.ConvertAll(weight, v => (float)v);
        string context = $"K = {classes}, N = {rows}, seed {RandomData.RunSeed}/{seed}";
        Quantity lossQuantity = classes > 32768 ? Quantity.WideLoss : Quantity.Other;

        Half[] output = Poisoned(rows * classes);
        LsrKernels.LogSoftmax(logits, classes, output);
        AssertWithinOneUlp(Oracle.LogSoftmax(exact, classes), output, $"LogSoftmax, {context}");
        output = Poisoned(rows * classes);
        LsrKernels.Softmax(logits, classes, output);
        AssertWithinOneUlp(Oracle.Softmax(exact, classes), output, $"Softmax, {context}");

        Oracle.Result reference = Oracle.Hard(exact, classes, targets, 0.1, Reduction.Mean, -100, weight);
        float[] losses = PoisonedFloat(rows);
        LsrKernels.CrossEntropy(logits, classes, targets, losses, 0.1f, -100, weightFloat);
        Tolerance.Close(reference.Losses, Array.ConvertAll(losses, v => (double)v), isFloat: true, lossQuantity, $"per-row losses, {context}");
        Half[] gradient = Poisoned(rows * classes);
        float mean = LsrKernels.CrossEntropyWithGradient(logits, classes, targets, gradient, 0.1f, Reduction.Mean, -100, weightFloat);
        Tolerance.Close(reference.Loss, mean, isFloat: true, lossQuantity, $"mean loss, {context}");
        AssertWithinOneUlp(reference.Gradient, gradient, $"gradient, {context}");
    }

    public static Half[] Poisoned(int count)
    {
        var values = new Half[count];
        values.AsSpan().Fill(Half.NaN);
        return values;
    }

    private static float[] PoisonedFloat(int count)
    {
        var values = new float[count];
        values.AsSpan().Fill(float.NaN);
        return values;
    }

    private static void AssertSame(float expected, float actual, string context)
        => Assert.True(
            BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"{context}: expected {expected:R}, got {actual:R}.");

    /// <summary>Each Half is its float counterpart rounded once (to nearest, ties to even).</summary>
    private static void AssertRounded(float[] single, Half[] half, string context)
    {
        for (int i = 0; i < single.Length; i++)
        {
            Half expected = (Half)single[i];
            Assert.True(
                BitConverter.HalfToInt16Bits(expected) == BitConverter.HalfToInt16Bits(half[i]),
                $"{context}: element {i} is {half[i]}, the float result {single[i]:R} rounds to {expected}.");
        }
    }

    private static void AssertWithinOneUlp(double[] reference, Half[] actual, string context)
    {
        for (int i = 0; i < reference.Length; i++)
        {
            int distance = Math.Abs(Ordered((Half)reference[i]) - Ordered(actual[i]));
            Assert.True(distance <= 1, $"{context}: element {i} is {actual[i]}, {distance} Half ulps from the rounded oracle {(Half)reference[i]} ({reference[i]:R}).");
        }
    }

    /// <summary>Half bits mapped so that adjacent values differ by 1 across zero too.</summary>
    private static int Ordered(Half value)
    {
        int bits = BitConverter.HalfToInt16Bits(value) & 0xFFFF;
        return (bits & 0x8000) != 0 ? -(bits & 0x7FFF) : bits;
    }
}

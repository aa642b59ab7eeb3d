using System;
using System.Linq;
using Xunit;

namespace LsrGen.Tests;

/// <summary>CrossEntropyLoss's contract beyond the golden values: options, errors, identity with LsrKernels, gradients, allocation.</summary>
public sealed class CrossEntropyLossTests
{
    [Fact]
    public void Options_are_validated_by_their_init_accessors()
    {
        Assert.Equal("classes", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<float>(0)).ParamName);
        Assert.Throws<NotSupportedException>(() => new CrossEntropyLoss<Half>(3));
        Assert.Equal("LabelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<float>(3) { LabelSmoothing = 1.5f }).ParamName);
        Assert.Equal("LabelSmoothing", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<double>(3) { LabelSmoothing = double.NaN }).ParamName);
        Assert.Equal("Reduction", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<float>(3) { Reduction = (Reduction)7 }).ParamName);
        Assert.Equal("Weight", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(3) { Weight = new float[] { 1, 2 } }).ParamName);
        Assert.Equal("Weight", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(3) { Weight = new float[] { 1, -2, 1 } }).ParamName);
        Assert.Equal("Weight", Assert.Throws<ArgumentException>(() => new CrossEntropyLoss<float>(3) { Weight = new float[] { 1, float.NaN, 1 } }).ParamName);
        foreach (double bad in new[] { -1, double.NaN, double.PositiveInfinity })
        {
            Assert.Equal("ZLossScale", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<double>(3) { ZLossScale = bad }).ParamName);
            Assert.Equal("Softcap", Assert.Throws<ArgumentOutOfRangeException>(() => new CrossEntropyLoss<double>(3) { Softcap = bad }).ParamName);
        }

        var loss = new CrossEntropyLoss<float>(4) { Softcap = 30, ZLossScale = 1e-4f, LabelSmoothing = 0.1f, IgnoreIndex = 0, Reduction = Reduction.Sum };
        Assert.Equal((4, 30f, 1e-4f, 0.1f, 0, Reduction.Sum), (loss.Classes, loss.Softcap, loss.ZLossScale, loss.LabelSmoothing, loss.IgnoreIndex, loss.Reduction));
        Assert.False(loss.IsSpecialized);
    }

    [Fact]
    public void Weight_is_copied_when_set()
    {
        float[] weight = [1, 2, 3];
        var loss = new CrossEntropyLoss<float>(3) { Weight = weight };
        float[] logits = [1, 2, 3, 0, 5, 1];
        int[] targets = [2, 0];
        float before = loss.Forward(logits, targets);
        weight[2] = 100;
        Assert.Equal(before, loss.Forward(logits, targets));
        Assert.Equal([1f, 2f, 3f], loss.Weight.ToArray());
        Assert.Equal(4f, loss.MeanDenominator(targets)); // w[2] + w[0]
    }

    [Fact]
    public void Bad_calls_throw_before_anything_is_written()
    {
        var loss = new CrossEntropyLoss<float>(3) { Softcap = 5, ZLossScale = 0.1f };
        float[] logits = [1, 2, 3, 0, 5, 1];
        int[] targets = [2, 0];
        float[] losses = TestNumbers.Poisoned<float>(2);
        float[] lse = TestNumbers.Poisoned<float>(2);
        float[] gradient = TestNumbers.Poisoned<float>(6);
        float[] upstream = [1, 1];

        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, losses.AsSpan(0, 1), lse)).ParamName);
        Assert.Equal("logSumExp", Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, losses, lse.AsSpan(0, 1))).ParamName);
        Assert.Equal("targets", Assert.Throws<ArgumentOutOfRangeException>(() => loss.Forward(logits, [2, 3], losses, lse)).ParamName);
        Assert.Contains("Target 3 at row 1 is out of range for 3 classes.", Assert.Throws<ArgumentOutOfRangeException>(() => loss.ForwardBackward(logits, [2, 3], gradient)).Message);
        float[] both = TestNumbers.Poisoned<float>(3);
        var outputsOverlap = Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, both.AsSpan(0, 2), both.AsSpan(1, 2)));
        Assert.Equal("logSumExp", outputsOverlap.ParamName);
        Assert.StartsWith("logSumExp overlaps losses;", outputsOverlap.Message);
        Assert.Equal("losses", Assert.Throws<ArgumentException>(() => loss.Forward(logits, targets, logits.AsSpan(0, 2), lse)).ParamName);
        Assert.Equal("lossGradients", Assert.Throws<ArgumentException>(() => loss.Backward(logits, targets, lse, upstream.AsSpan(0, 1), gradient)).ParamName);
        Assert.Equal("logSumExp", Assert.Throws<ArgumentException>(() => loss.Backward(logits, targets, lse.AsSpan(0, 1), upstream, gradient)).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => loss.Backward(logits, targets, lse, upstream, logits.AsSpan(1, 6 - 1).ToArray().AsSpan(0, 5))).ParamName);
        float[] shared = new float[7];
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => loss.ForwardBackward(shared.AsSpan(0, 6), targets, shared.AsSpan(1, 6))).ParamName);
        Assert.Equal("gradient", Assert.Throws<ArgumentException>(() => loss.Backward(logits, targets, gradient.AsSpan(0, 2), upstream, gradient)).ParamName);
        Assert.Equal("targetProbabilities", Assert.Throws<ArgumentException>(() => loss.Forward(logits, [0.5f, 0.5f, 0, -1, 1, 1], losses, lse)).ParamName);
        Assert.All(losses.Concat(lse).Concat(gradient), v => Assert.True(float.IsNaN(v)));
    }

    public static TheoryData<int> ClassCounts => new() { 3, 10, 100 };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Without_softcap_and_z_loss_results_equal_LsrKernels_bit_for_bit(int classes)
    {
        Random random = RandomData.For(classes, 71);
        const int rows = 45;
        (float[] logits, int[] targets) = RandomData.Batch<float>(random, rows, classes);
        float[] weight = TestNumbers.To<float>(RandomData.Weights(random, classes));
        float[] probabilities = TestNumbers.To<float>(RandomData.Probabilities(random, rows, classes));
        foreach (Reduction reduction in new[] { Reduction.Mean, Reduction.Sum })
        {
            var loss = new CrossEntropyLoss<float>(classes) { LabelSmoothing = 0.1f, Weight = weight, Reduction = reduction };
            Assert.Equal(LsrKernels.CrossEntropy(logits, classes, targets, 0.1f, reduction, -100, weight), loss.Forward(logits, targets));
            Assert.Equal(LsrKernels.CrossEntropy(logits, classes, probabilities, 0.1f, reduction, weight), loss.Forward(logits, probabilities));
            float[] expected = new float[logits.Length];
            float[] actual = new float[logits.Length];
            Assert.Equal(
                LsrKernels.CrossEntropyWithGradient(logits, classes, targets, expected, 0.1f, reduction, -100, weight),
                loss.ForwardBackward(logits, targets, actual));
            Assert.Equal(expected, actual);
            Assert.Equal(
                LsrKernels.CrossEntropyWithGradient(logits, classes, probabilities, expected, 0.1f, reduction, weight),
                loss.ForwardBackward(logits, probabilities, actual));
            Assert.Equal(expected, actual);
            float[] perRow = new float[rows];
            float[] lossesOut = new float[rows];
            LsrKernels.CrossEntropy(logits, classes, targets, perRow, 0.1f, -100, weight);
            loss.Forward(logits, targets, lossesOut, new float[rows]);
            Assert.Equal(perRow, lossesOut);
        }
    }

    public static TheoryData<double, double> SoftcapsAndZLosses => new() { { 0.0, 0.0 }, { 2.0, 0.0 }, { 0.0, 0.01 }, { 2.0, 0.01 } };

    [Theory]
    [MemberData(nameof(SoftcapsAndZLosses))]
    public void Gradients_match_finite_differences(double softcap, double zLoss)
    {
        const int classes = 7;
        const int rows = 5;
        Random random = RandomData.For(7, (int)(softcap * 10), (int)(zLoss * 1000));
        double[] logits = RandomData.Normal(random, rows * classes, 2);
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        targets[0] = 3;
        double[] probabilities = RandomData.Probabilities(random, rows, classes);
        double[] upstream = RandomData.Normal(random, rows, 1);
        var loss = new CrossEntropyLoss<double>(classes)
        {
            LabelSmoothing = 0.1, Weight = RandomData.Weights(random, classes), Softcap = softcap, ZLossScale = zLoss, Reduction = Reduction.Sum,
        };

        foreach (bool hard in new[] { true, false })
        {
            // The fused gradient of the summed loss, and Backward of sum_i upstream_i * loss_i.
            double[] fused = new double[logits.Length];
            double[] backward = new double[logits.Length];
            double[] losses = new double[rows];
            double[] lse = new double[rows];
            if (hard)
            {
                loss.ForwardBackward(logits, targets, fused);
                loss.Forward(logits, targets, losses, lse);
                loss.Backward(logits, targets, lse, upstream, backward);
            }
            else
            {
                loss.ForwardBackward(logits, probabilities, fused);
                loss.Forward(logits, probabilities, losses, lse);
                loss.Backward(logits, probabilities, lse, upstream, backward);
            }

            for (int i = 0; i < logits.Length; i++)
            {
                double h = 1e-6;
                double[] plus = (double[])logits.Clone();
                double[] minus = (double[])logits.Clone();
                plus[i] += h;
                minus[i] -= h;
                double numeric = (Total(loss, plus, targets, probabilities, hard, null) - Total(loss, minus, targets, probabilities, hard, null)) / (2 * h);
                double weighted = (Total(loss, plus, targets, probabilities, hard, upstream) - Total(loss, minus, targets, probabilities, hard, upstream)) / (2 * h);
                Assert.True(Math.Abs(numeric - fused[i]) <= 1e-6 * (1 + Math.Abs(numeric)), $"hard {hard}, element {i}: fused {fused[i]}, numeric {numeric}");
                Assert.True(Math.Abs(weighted - backward[i]) <= 1e-6 * (1 + Math.Abs(weighted)), $"hard {hard}, element {i}: backward {backward[i]}, numeric {weighted}");
            }
        }
    }

    [Fact]
    public void Calls_allocate_nothing()
    {
        const int classes = 10;
        const int rows = 64;
        Random random = RandomData.For(3, 3);
        float[] logits = TestNumbers.To<float>(RandomData.Normal(random, rows * classes, 2));
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, ignoreIndex: -100);
        float[] probabilities = TestNumbers.To<float>(RandomData.Probabilities(random, rows, classes));
        float[] gradient = new float[logits.Length];
        float[] losses = new float[rows];
        float[] lse = new float[rows];
        float[] upstream = new float[rows];
        var loss = new CrossEntropyLoss<float>(classes) { Softcap = 20, ZLossScale = 1e-4f, LabelSmoothing = 0.1f };
        void All()
        {
            loss.Forward(logits, targets);
            loss.Forward(logits, targets, losses, lse);
            loss.ForwardBackward(logits, targets, gradient);
            loss.Backward(logits, targets, lse, upstream, gradient);
            loss.Forward(logits, probabilities);
            loss.Forward(logits, probabilities, losses, lse);
            loss.ForwardBackward(logits, probabilities, gradient);
            loss.Backward(logits, probabilities, lse, upstream, gradient);
            loss.MeanDenominator(targets);
        }

        Assert.Equal(0, Allocations.Least(All));
    }

    private static double Total(CrossEntropyLoss<double> loss, double[] logits, int[] targets, double[] probabilities, bool hard, double[]? upstream)
    {
        if (upstream is null)
        {
            return hard ? loss.Forward(logits, targets) : loss.Forward(logits, probabilities);
        }

        double[] losses = new double[upstream.Length];
        double[] lse = new double[upstream.Length];
        if (hard)
        {
            loss.Forward(logits, targets, losses, lse);
        }
        else
        {
            loss.Forward(logits, probabilities, losses, lse);
        }

        return losses.Zip(upstream, (l, u) => l * u).Sum();
    }
}

using System;
using System.Linq;
using Xunit;

namespace LsrGen.Tests;

/// <summary>
/// The entropy bonus's gradients, with a soft-cap and a temperature on, against central finite differences of the
/// double oracle (<see cref="OptionsOracle"/>): ForwardBackward's, and Backward's with per-row loss and entropy gradients.
/// </summary>
public class EntropyBonusGradientTests
{
    public static TheoryData<int, double, double, double> Cases => new()
    {
        // K, soft-cap, temperature, entropy scale
        { 1, 5, 0.7, 0.1 }, { 3, 5, 0.7, 0.1 }, { 10, 0, 2, 1 }, { 17, 30, 0.5, 0.01 }, { 40, 5, 10, 0.1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hard_target_ForwardBackward_matches_finite_differences(int classes, double cap, double tau, double b)
    {
        Random random = RandomData.For(classes, 601);
        const int rows = 5;
        double[] x = RandomData.Normal(random, rows * classes, 3);
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
        targets[0] = random.Next(classes);
        var o = new LossOptions(0.1, Reduction.Mean, RandomData.Weights(random, classes), cap, 1e-3, tau, b);
        var gradient = new double[x.Length];
        double loss = o.For<double>(classes).ForwardBackward(x, targets, gradient);
        Assert.Equal(OptionsOracle.Hard(x, classes, targets, o).Loss, loss, 1e-12);
        AssertMatchesDifferences(x, gradient, v => OptionsOracle.Hard(v, classes, targets, o).Loss, $"K={classes} seed={RandomData.RunSeed}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Soft_target_ForwardBackward_matches_finite_differences(int classes, double cap, double tau, double b)
    {
        Random random = RandomData.For(classes, 602);
        const int rows = 4;
        double[] x = RandomData.Normal(random, rows * classes, 3);
        double[] q = RandomData.Probabilities(random, rows, classes);
        var o = new LossOptions(0.2, Reduction.Sum, RandomData.Weights(random, classes), cap, 1e-3, tau, b);
        var gradient = new double[x.Length];
        double loss = o.For<double>(classes).ForwardBackward(x, q, gradient);
        Assert.Equal(OptionsOracle.Soft(x, classes, q, o).Loss, loss, 1e-12);
        AssertMatchesDifferences(x, gradient, v => OptionsOracle.Soft(v, classes, q, o).Loss, $"K={classes} seed={RandomData.RunSeed}");
    }

    /// <summary>PPO's split: per-row loss gradients (advantages) and entropy gradients apart from them, through Backward.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_with_entropy_gradients_matches_finite_differences(int classes, double cap, double tau, double b)
    {
        Random random = RandomData.For(classes, 603);
        const int rows = 5;
        double[] x = RandomData.Normal(random, rows * classes, 3);
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
        double[] q = RandomData.Probabilities(random, rows, classes);
        double[] lossGradients = RandomData.Normal(random, rows, 1);
        double[] entropyGradients = RandomData.Normal(random, rows, 1);
        var o = new LossOptions(0.1, Reduction.Mean, null, cap, 0, tau, b);
        CrossEntropyLoss<double> loss = o.For<double>(classes);
        string context = $"K={classes} seed={RandomData.RunSeed}";

        var lse = new double[rows];
        loss.Forward(x, targets, default, lse);
        var gradient = new double[x.Length];
        loss.Backward(x, targets, lse, lossGradients, gradient, entropyGradients);
        // An ignored row's gradient stays 0, its entropy gradient included.
        double[] counted = entropyGradients.Select((g, i) => targets[i] == -100 ? 0 : g).ToArray();
        AssertMatchesDifferences(x, gradient, v => OptionsOracle.BackwardObjective(OptionsOracle.Hard(v, classes, targets, o), lossGradients, counted), $"{context} hard");
        for (int i = 0; i < rows; i++)
        {
            if (targets[i] == -100)
            {
                Assert.All(gradient.Skip(i * classes).Take(classes), g => Assert.Equal(0.0, g));
            }
        }

        loss.Forward(x, q, default, lse);
        loss.Backward(x, q, lse, lossGradients, gradient, entropyGradients);
        double[] entropyOnly = new double[rows];
        AssertMatchesDifferences(x, gradient, v => OptionsOracle.BackwardObjective(OptionsOracle.Soft(v, classes, q, o), lossGradients, entropyGradients), $"{context} soft");

        // With entropy gradients alone (no loss term) Backward is the gradient of sum_i eg_i H_i: H's own backward.
        loss.Backward(x, q, lse, entropyOnly, gradient, entropyGradients);
        var noBonus = o with { EntropyScale = 0 };
        AssertMatchesDifferences(x, gradient, v => OptionsOracle.BackwardObjective(OptionsOracle.Soft(v, classes, q, noBonus), entropyOnly, entropyGradients), $"{context} entropy only");
    }

    private static void AssertMatchesDifferences(double[] x, double[] gradient, Func<double[], double> loss, string context)
        => FiniteDifferenceTests.AssertMatchesDifferences(x, gradient, loss, context);
}

using System;
using Xunit;

namespace LsrGen.Tests;

/// <summary>The analytic gradients against central finite differences of the double oracle's loss.</summary>
public class FiniteDifferenceTests
{
    public static TheoryData<int, double, bool, Reduction> ClassIndexCases => new()
    {
        { 1, 0.0, false, Reduction.Mean }, { 3, 0.1, false, Reduction.Mean }, { 10, 0.1, true, Reduction.Mean },
        { 17, 1.0, true, Reduction.Sum }, { 40, 0.3, false, Reduction.Sum }
    };

    [Theory]
    [MemberData(nameof(ClassIndexCases))]
    public void Hard_target_gradient_matches_finite_differences(int classes, double eps, bool weighted, Reduction reduction)
    {
        Random random = RandomData.For(classes, 501);
        const int rows = 5;
        double[] x = RandomData.Normal(random, rows * classes, 2);
        int[] targets = RandomData.Targets(random, rows, classes, withIgnored: true, -100);
        targets[0] = random.Next(classes);   // with every row ignored the mean is 0 / 0: no finite loss to difference
        double[]? w = weighted ? RandomData.Weights(random, classes) : null;
        var gradient = new double[x.Length];
        LsrKernels.CrossEntropyWithGradient(x, classes, targets, gradient, eps, reduction, -100, w);
        AssertMatchesDifferences(x, gradient, v => Oracle.Hard(v, classes, targets, eps, reduction, -100, w).Loss, $"K={classes} seed={RandomData.RunSeed}");
    }

    public static TheoryData<int, double, bool, Reduction> ProbabilityCases => new()
    {
        { 3, 0.0, false, Reduction.Mean }, { 10, 0.2, true, Reduction.Sum }, { 33, 1.0, true, Reduction.Mean }
    };

    [Theory]
    [MemberData(nameof(ProbabilityCases))]
    public void Soft_target_gradient_matches_finite_differences(int classes, double eps, bool weighted, Reduction reduction)
    {
        Random random = RandomData.For(classes, 502);
        const int rows = 4;
        double[] x = RandomData.Normal(random, rows * classes, 2);
        double[] q = RandomData.Probabilities(random, rows, classes);
        double[]? w = weighted ? RandomData.Weights(random, classes) : null;
        var gradient = new double[x.Length];
        LsrKernels.CrossEntropyWithGradient(x, classes, q, gradient, eps, reduction, w);
        AssertMatchesDifferences(x, gradient, v => Oracle.Soft(v, classes, q, eps, reduction, w).Loss, $"K={classes} seed={RandomData.RunSeed}");
    }

    internal static void AssertMatchesDifferences(double[] x, double[] gradient, Func<double[], double> loss, string context)
    {
        const double h = 1e-5;
        for (int i = 0; i < x.Length; i++)
        {
            double[] plus = (double[])x.Clone();
            double[] minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (loss(plus) - loss(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[i]) <= 1e-7 + (1e-6 * Math.Abs(numeric)), $"{context}: d loss / d x[{i}] analytic {gradient[i]:R}, numeric {numeric:R}");
        }
    }
}

using System;
using System.Linq;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// The generated classes' LogSoftmaxBackward, SoftmaxBackward and ArgMax: the golden cases, random rows against the
/// oracle, errors, and LsrKernels with a declared K giving the generated class's bits.
/// </summary>
public class OutputsRoutingTests
{
    public static TheoryData<string> BackwardIds => [.. OutputsFile.Backwards.Select(c => c.Id)];

    public static TheoryData<string> ArgMaxIds => [.. OutputsFile.ArgMaxes.Select(c => c.Id)];

    public static TheoryData<int> DeclaredClasses => [1, 2, 3, 5, 7, 10, 16, 17, 32, 33, 100, 1000, 4097];

    [Theory]
    [MemberData(nameof(BackwardIds))]
    public void Golden_backwards_match_for_generated_kernels(string id)
    {
        BackwardCase c = OutputsFile.Backwards.Single(x => x.Id == id);
        OutputsGoldenSuite.CheckBackward(new GeneratedApi<float>(Declared.For(c.K)), c);
        OutputsGoldenSuite.CheckBackward(new GeneratedApi<double>(Declared.For(c.K)), c);
    }

    [Theory]
    [MemberData(nameof(ArgMaxIds))]
    public void Golden_argmax_matches_for_generated_kernels(string id)
    {
        ArgMaxCase c = OutputsFile.ArgMaxes.Single(x => x.Id == id);
        OutputsGoldenSuite.CheckArgMax(new GeneratedApi<float>(Declared.For(c.K)), c);
        OutputsGoldenSuite.CheckArgMax(new GeneratedApi<double>(Declared.For(c.K)), c);
    }

    [Theory]
    [MemberData(nameof(DeclaredClasses))]
    public void Generated_kernels_match_the_oracle_and_give_the_routed_bits(int classes)
    {
        int rows = classes >= 1000 ? 5 : 41;
        Random random = RandomData.For(classes, rows, 97);
        double[] x = TestNumbers.RoundTrip<float>(RandomData.Normal(random, rows * classes, 4));
        string context = $"K={classes} N={rows} seed={RandomData.RunSeed}";
        var floats = new GeneratedApi<float>(Declared.For(classes));
        var doubles = new GeneratedApi<double>(Declared.For(classes));
        OutputsSuite<float>.Backwards(floats, x, classes, random, context);
        OutputsSuite<double>.Backwards(doubles, x, classes, random, context);
        OutputsSuite<float>.ArgMaxSpecials(floats, classes, 70, random, context);
        OutputsSuite<double>.ArgMaxSpecials(doubles, classes, 70, random, context);
        OutputsSuite<float>.Errors(floats, classes, classesIsParameter: false);

        float[] y = TestNumbers.To<float>(TestNumbers.RoundTrip<float>(Oracle.LogSoftmax(x, classes)));
        float[] gy = TestNumbers.To<float>(TestNumbers.RoundTrip<float>(RandomData.Normal(random, x.Length, 1)));
        foreach (bool log in new[] { true, false })
        {
            float[] direct = new float[x.Length], routed = new float[x.Length];
            if (log)
            {
                floats.LogSoftmaxBackward(y, gy, classes, direct);
                LsrKernels.LogSoftmaxBackward(y, gy, classes, routed);
            }
            else
            {
                floats.SoftmaxBackward(y, gy, classes, direct);
                LsrKernels.SoftmaxBackward(y, gy, classes, routed);
            }

            Assert.True(direct.AsSpan().SequenceEqual(routed), $"{(log ? "LogSoftmaxBackward" : "SoftmaxBackward")} K={classes}");
        }

        int[] directPredictions = new int[rows], routedPredictions = new int[rows];
        floats.ArgMax(y, classes, directPredictions);
        LsrKernels.ArgMax(y, classes, routedPredictions);
        Assert.Equal(directPredictions, routedPredictions);
    }
}

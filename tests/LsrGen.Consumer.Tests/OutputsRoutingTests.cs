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
    public static TheoryData<string> GoldenIds => [.. OutputsFile.Ids];

    public static TheoryData<int> DeclaredClasses => [1, 2, 3, 5, 7, 10, 16, 17, 32, 33, 100, 1000, 4097];

    /// <summary>Each golden case through the class generated for its K, float and double.</summary>
    [Theory]
    [MemberData(nameof(GoldenIds))]
    public void Golden_cases_match_for_generated_kernels(string id)
    {
        Type type = Declared.For(OutputsGoldenSuite.ClassesOf(id));
        OutputsGoldenSuite.Check(id, new GeneratedApi<float>(type), new GeneratedApi<double>(type));
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

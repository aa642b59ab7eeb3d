using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Xunit;

namespace LsrGen.Tests;

/// <summary>Every case of PyTorch's golden file, float and double, against its float64 oracle.</summary>
public class GoldenTests
{
    public static IEnumerable<object[]> CaseIds() => GoldenFile.Cases.Select(c => new object[] { c.Id });

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Float_matches_torch_float64_oracle(string id) => Check<float>(RuntimeFloatApi.Instance, id);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Double_matches_torch_float64_oracle(string id) => Check<double>(RuntimeDoubleApi.Instance, id);

    [Fact]
    public void Torch_gather_cases_match()
    {
        foreach (GoldenGather g in GoldenFile.Gathers)
        {
            var output = new double[g.Output.Length];
            LsrKernels.Gather(g.Input, g.InputShape, g.Dim, g.Index, g.IndexShape, output);
            Assert.Equal(g.Output, output);
        }
    }

    internal static void Check<T>(ILsrApi<T> api, string id)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GoldenCase c = GoldenFile.Cases.Single(x => x.Id == id);
        bool isFloat = TestNumbers.IsFloat<T>();
        T[] logits = TestNumbers.To<T>(c.Logits);
        T[] w = c.Weight is null ? [] : TestNumbers.To<T>(c.Weight);
        T eps = T.CreateTruncating(c.LabelSmoothing);
        Quantity lossQuantity = c.K > 32768 ? Quantity.WideLoss : Quantity.Other;

        T[] logp = TestNumbers.Poisoned<T>(logits.Length);
        api.LogSoftmax(logits, c.K, logp);
        Tolerance.Close(c.LogSoftmax, TestNumbers.ToDouble<T>(logp), isFloat, Quantity.Other, $"{id} log_softmax");
        T[] p = TestNumbers.Poisoned<T>(logits.Length);
        api.Softmax(logits, c.K, p);
        Tolerance.Close(c.Softmax, TestNumbers.ToDouble<T>(p), isFloat, Quantity.Probability, $"{id} softmax");

        T[] losses = TestNumbers.Poisoned<T>(c.N);
        T[] gradient = TestNumbers.Poisoned<T>(logits.Length);
        T reduced;
        T fused;
        double[] expectedGradient = c.Gradient.ToArray();
        Reduction gradientReduction = c.Reduction ?? Reduction.Sum;
        if (c.Kind == "hard")
        {
            api.CrossEntropy(logits, c.K, c.Targets, losses, eps, c.IgnoreIndex, w);
            reduced = api.CrossEntropy(logits, c.K, c.Targets, eps, gradientReduction, c.IgnoreIndex, w);
            fused = api.CrossEntropyWithGradient(logits, c.K, c.Targets, gradient, eps, gradientReduction, c.IgnoreIndex, w);

            // api.md: an ignored row's gradient is 0 even where PyTorch propagates NaN from its logits.
            for (int i = 0; i < c.N; i++)
            {
                if (c.Targets![i] == c.IgnoreIndex)
                {
                    for (int j = 0; j < c.K; j++)
                    {
                        expectedGradient[(i * c.K) + j] = 0;
                    }
                }
            }
        }
        else
        {
            T[] q = TestNumbers.To<T>(c.Probabilities!);
            api.CrossEntropy(logits, c.K, q, losses, eps, w);
            reduced = api.CrossEntropy(logits, c.K, q, eps, gradientReduction, w);
            fused = api.CrossEntropyWithGradient(logits, c.K, q, gradient, eps, gradientReduction, w);
        }

        Tolerance.Close(c.Losses, TestNumbers.ToDouble<T>(losses), isFloat, lossQuantity, $"{id} losses");
        Tolerance.Close(c.Loss, double.CreateTruncating(reduced), isFloat, lossQuantity, $"{id} loss");
        Tolerance.Close(c.Loss, double.CreateTruncating(fused), isFloat, lossQuantity, $"{id} fused loss");
        Tolerance.Close(expectedGradient, TestNumbers.ToDouble<T>(gradient), isFloat, Quantity.Other, $"{id} gradient");
    }
}

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
    public void Float_matches_torch_float64_oracle(string id) => GoldenSuite.Check<float>(RuntimeFloatApi.Instance, id);

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Double_matches_torch_float64_oracle(string id) => GoldenSuite.Check<double>(RuntimeDoubleApi.Instance, id);

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
}

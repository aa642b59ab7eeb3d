using LsrGen.Tools;
using Xunit;

namespace LsrGen.Tests;

/// <summary>The register rows' template writes one method per count of whole vectors.</summary>
public sealed class RegisterRowsTemplateTests
{
    [Fact]
    public void The_template_writes_one_method_per_count_of_whole_vectors()
    {
        string text = RegisterRowsTemplate.Render();
        for (int i = 1; i <= RegisterRowsTemplate.SingleRowVectors; i++)
        {
            Assert.Contains($"private readonly struct Whole{i} : IWholeVectors", text);
            Assert.Contains($"{i} => FusedInRegisters<TS, TV, Whole{i}>(args, k, firstRow, endRow),", text);
        }

        Assert.Contains($"TV v{RegisterRowsTemplate.SingleRowVectors - 1} = TWhole.Count > {RegisterRowsTemplate.SingleRowVectors - 1} ?", text);
        Assert.DoesNotContain($"TV v{RegisterRowsTemplate.SingleRowVectors} =", text);
        Assert.Contains($"TV v{RegisterRowsTemplate.PairVectors - 1}B = ", text);
        Assert.DoesNotContain($"TV v{RegisterRowsTemplate.PairVectors}B = ", text);
    }
}

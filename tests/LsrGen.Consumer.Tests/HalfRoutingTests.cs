using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>Half logits with a generated K run the generated float kernel: the float result on the widened logits, rounded once.</summary>
public class HalfRoutingTests
{
    public static TheoryData<int, int> Shapes => new()
    {
        { 1, 19 }, { 3, 101 }, { 10, 64 }, { 17, 33 }, { 32, 48 }, { 100, 21 }, { 1000, 9 }, { 32000, 3 }
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Half_logits_get_the_generated_float_result_rounded_once(int classes, int rows)
    {
        Assert.True(LsrKernels.IsSpecialized(classes));
        HalfSuite.MatchesFloatOnWidenedLogits(classes, rows, seed: 7);
    }
}

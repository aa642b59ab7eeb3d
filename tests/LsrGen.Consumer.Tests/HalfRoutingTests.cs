using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>Half logits with a generated K run the generated float kernel: the float result on the widened logits, rounded once.</summary>
public class HalfRoutingTests
{
    [Theory]
    [InlineData(1, 19)]
    [InlineData(3, 101)]
    [InlineData(10, 64)]
    [InlineData(17, 33)]
    [InlineData(32, 48)]
    [InlineData(100, 21)]
    [InlineData(1000, 9)]
    [InlineData(32000, 3)]
    public void Half_logits_get_the_generated_float_result_rounded_once(int classes, int rows)
    {
        Assert.True(LsrKernels.IsSpecialized(classes));
        HalfSuite.MatchesFloatOnWidenedLogits(classes, rows, seed: 7);
    }
}

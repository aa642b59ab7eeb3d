using System;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// Tensor-span calls with a generated K run the generated kernel: padded rows give exactly the bits the generated
/// class's own span members give the dense copy (its block shapes at small K, its row loops at large K).
/// </summary>
public class TensorSpanRoutingTests
{
    [Theory]
    [InlineData(1, 19, 3)]
    [InlineData(3, 101, 5)]
    [InlineData(5, 40, 3)]
    [InlineData(10, 64, 6)]
    [InlineData(16, 35, 16)]
    [InlineData(17, 33, 15)]
    [InlineData(32, 48, 8)]
    [InlineData(33, 20, 31)]
    [InlineData(100, 21, 28)]
    [InlineData(1000, 9, 24)]
    [InlineData(4097, 20, 3)]
    [InlineData(32000, 3, 64)]
    public void Padded_rows_get_the_generated_kernels_bits(int classes, int rows, int padding)
    {
        Assert.True(LsrKernels.IsSpecialized(classes));
        Type type = Declared.For(classes);
        TensorSpanSuite<float>.StridedMatchesDense(new GeneratedApi<float>(type), TensorFloatApi.Instance, classes, rows, padding, seed: 5);
        TensorSpanSuite<double>.StridedMatchesDense(new GeneratedApi<double>(type), TensorDoubleApi.Instance, classes, rows, padding, seed: 6);
    }
}

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
    public static TheoryData<int, int, int> PaddedShapes => new()
    {
        { 1, 19, 3 }, { 3, 101, 5 }, { 5, 40, 3 }, { 10, 64, 6 }, { 16, 35, 16 }, { 17, 33, 15 }, { 32, 48, 8 }, { 33, 20, 31 },
        { 100, 21, 28 }, { 1000, 9, 24 }, { 4097, 20, 3 }, { 32000, 3, 64 }
    };

    [Theory]
    [MemberData(nameof(PaddedShapes))]
    public void Padded_rows_get_the_generated_kernels_bits(int classes, int rows, int padding)
    {
        Assert.True(LsrKernels.IsSpecialized(classes));
        Type type = Declared.For(classes);
        TensorSpanSuite<float>.StridedMatchesDense(new GeneratedApi<float>(type), TensorFloatApi.Instance, classes, rows, padding, seed: 5);
        TensorSpanSuite<double>.StridedMatchesDense(new GeneratedApi<double>(type), TensorDoubleApi.Instance, classes, rows, padding, seed: 6);
    }
}

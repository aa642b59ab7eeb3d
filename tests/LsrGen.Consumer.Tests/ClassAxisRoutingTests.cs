using System;
using System.Linq;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// (N, C, d1, ..., dk) tensor spans with a generated C: staged positions give the generated class's own bits for the
/// same data as rows, and the class-plane blocks its class-index losses and gradient within section 6's bounds.
/// </summary>
public class ClassAxisRoutingTests
{
    public static TheoryData<int, ClassAxisLayout> Cases()
    {
        var cases = new TheoryData<int, ClassAxisLayout>();
        foreach (int classes in new[] { 3, 10, 17, 32, 100, 1000 })
        {
            foreach (ClassAxisLayout layout in Enum.GetValues<ClassAxisLayout>())
            {
                cases.Add(classes, layout);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Class_axis_calls_get_the_generated_kernels_results(int classes, ClassAxisLayout layout)
    {
        Assert.True(LsrKernels.IsSpecialized(classes));
        Type type = Declared.For(classes);
        int[] shape = [2, classes, 3, 7];
        ClassAxisSuite<float>.MatchesRows(new GeneratedApi<float>(type), TensorFloatApi.Instance, shape, layout, seed: 7);
        ClassAxisSuite<double>.MatchesRows(new GeneratedApi<double>(type), TensorDoubleApi.Instance, [.. shape.Take(3)], layout, seed: 8);
    }
}

using System;
using System.Collections.Generic;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>
/// Generated kernels: a row's outputs do not depend on where it sits (inside a 16-row block or among the leftover rows,
/// which run the same block code on a padded copy), on threads, or on whether LsrKernels routed the call.
/// </summary>
[Collection(nameof(ParallelismSettingCollection))]
public class BatchInvarianceTests
{
    public static IEnumerable<object[]> Types() =>
        [[typeof(Seed3)], [typeof(Cifar10)], [Outer.Nested17Type], [typeof(ImageNet)]];

    [Theory]
    [MemberData(nameof(Types))]
    public void A_row_gets_the_same_bits_at_every_position(Type type)
    {
        var floats = new GeneratedApi<float>(type);
        var doubles = new GeneratedApi<double>(type);
        BatchInvarianceSuite<float>.EveryPosition(floats, floats.Classes);
        BatchInvarianceSuite<double>.EveryPosition(doubles, doubles.Classes);

        // Through LsrKernels (routed to this kernel): the same invariance, and the same bits as the generated class.
        BatchInvarianceSuite<float>.EveryPosition(RuntimeFloatApi.Instance, floats.Classes, maxRows: 20, sameAs: floats);
        BatchInvarianceSuite<double>.EveryPosition(RuntimeDoubleApi.Instance, doubles.Classes, maxRows: 20, sameAs: doubles);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_row_gets_the_same_bits_across_the_parallel_threshold(int threads)
    {
        var floats = new GeneratedApi<float>(typeof(Cifar10));
        var doubles = new GeneratedApi<double>(typeof(Cifar10));
        int rows = (1 << 20) / floats.Classes + 37;
        BatchInvarianceSuite<float>.InLargeBatch(floats, floats.Classes, rows, threads);
        BatchInvarianceSuite<double>.InLargeBatch(doubles, doubles.Classes, rows, threads);
    }
}

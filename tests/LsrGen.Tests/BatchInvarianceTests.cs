using Xunit;

namespace LsrGen.Tests;

/// <summary>The runtime's path (no generated kernel): a row's outputs do not depend on where it sits or on threads.</summary>
[Collection(nameof(ParallelismSettingCollection))]
public class BatchInvarianceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(33)]
    [InlineData(50)]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(1000)]
    public void A_row_gets_the_same_bits_at_every_position(int classes)
    {
        BatchInvarianceSuite<float>.EveryPosition(RuntimeFloatApi.Instance, classes);
        BatchInvarianceSuite<double>.EveryPosition(RuntimeDoubleApi.Instance, classes);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(1000, 1)]
    [InlineData(1000, 2)]
    public void A_row_gets_the_same_bits_across_the_parallel_threshold(int classes, int threads)
    {
        // Past 1,048,576 elements the work is split into chunks that may run on other threads.
        int rows = (1 << 20) / classes + 37;
        BatchInvarianceSuite<float>.InLargeBatch(RuntimeFloatApi.Instance, classes, rows, threads);
        BatchInvarianceSuite<double>.InLargeBatch(RuntimeDoubleApi.Instance, classes, rows, threads);
    }
}

using Xunit;

namespace LsrGen.Tests;

/// <summary>The runtime's path (no generated kernel): a row's outputs do not depend on where it sits or on threads.</summary>
[Collection(nameof(ParallelismSettingCollection))]
public class BatchInvarianceTests
{
    public static TheoryData<int> ClassCounts => new() { 1, 2, 3, 7, 16, 33, 50, 100, 200, 1000 };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void A_row_gets_the_same_bits_at_every_position(int classes)
    {
        BatchInvarianceSuite<float>.EveryPosition(RuntimeFloatApi.Instance, classes);
        BatchInvarianceSuite<double>.EveryPosition(RuntimeDoubleApi.Instance, classes);
    }

    public static TheoryData<int, int> LargeBatches => new() { { 3, 1 }, { 3, 2 }, { 1000, 1 }, { 1000, 2 } };

    [Theory]
    [MemberData(nameof(LargeBatches))]
    public void A_row_gets_the_same_bits_across_the_parallel_threshold(int classes, int threads)
    {
        // Past 1,048,576 elements the work is split into chunks that may run on other threads.
        int rows = (1 << 20) / classes + 37;
        BatchInvarianceSuite<float>.InLargeBatch(RuntimeFloatApi.Instance, classes, rows, threads);
        BatchInvarianceSuite<double>.InLargeBatch(RuntimeDoubleApi.Instance, classes, rows, threads);
    }
}

using System;
using Xunit;

namespace LsrGen.Tests;

public class GatherTests
{
    [Fact]
    public void Gathers_along_every_dim_of_a_rank_3_tensor_like_torch()
    {
        // input[i, j, l] = 100 i + 10 j + l, shape [2, 3, 4]
        var input = new double[24];
        for (int i = 0; i < 24; i++)
        {
            input[i] = (100 * (i / 12)) + (10 * (i / 4 % 3)) + (i % 4);
        }

        var output = new double[2 * 2 * 2];
        int[] index = [1, 0, 2, 2, 0, 1, 1, 1];
        LsrKernels.Gather(input, [2, 3, 4], 1, index, [2, 2, 2], output);
        // out[i,j,l] = input[i, index[i,j,l], l]
        Assert.Equal([10.0, 1, 20, 21, 100, 111, 110, 111], output);

        LsrKernels.Gather(input, [2, 3, 4], -1, index, [2, 2, 2], output);
        Assert.Equal([1.0, 0, 12, 12, 100, 101, 111, 111], output);

        var fromDim0 = new double[4];
        LsrKernels.Gather(input, [2, 3, 4], 0, [1, 0, 0, 1], [1, 1, 4], fromDim0);
        Assert.Equal([100.0, 1, 2, 103], fromDim0);
    }

    [Fact]
    public void Empty_index_writes_nothing()
    {
        LsrKernels.Gather(new float[6], [2, 3], 1, ReadOnlySpan<int>.Empty, [2, 0], Span<float>.Empty);
    }

    [Fact]
    public void Bad_gathers_throw_and_write_nothing()
    {
        float[] input = [1, 2, 3, 4];
        int[] shape = [2, 2];
        ErrorSuite<float>.Throws<ArgumentException>(4, "inputShape", o => LsrKernels.Gather(input, [], 0, [0], [], o), "rank");
        ErrorSuite<float>.Throws<ArgumentException>(4, "inputShape", o => LsrKernels.Gather(input, [1, 1, 1, 1, 1, 1, 1, 1, 4], 0, [0], [1, 1, 1, 1, 1, 1, 1, 1, 1], o), "rank");
        ErrorSuite<float>.Throws<ArgumentException>(4, "indexShape", o => LsrKernels.Gather(input, shape, 0, [0, 0, 0, 0], [4], o));
        ErrorSuite<float>.Throws<ArgumentOutOfRangeException>(4, "dim", o => LsrKernels.Gather(input, shape, 2, [0, 0, 0, 0], shape, o));
        ErrorSuite<float>.Throws<ArgumentOutOfRangeException>(4, "dim", o => LsrKernels.Gather(input, shape, -3, [0, 0, 0, 0], shape, o));
        ErrorSuite<float>.Throws<ArgumentException>(6, "indexShape", o => LsrKernels.Gather(input, shape, 1, [0, 0, 0, 0, 0, 0], [3, 2], o), "indexShape[0]");
        ErrorSuite<float>.Throws<ArgumentException>(4, "input", o => LsrKernels.Gather(input[..3], shape, 1, [0, 0, 0, 0], shape, o));
        ErrorSuite<float>.Throws<ArgumentException>(4, "index", o => LsrKernels.Gather(input, shape, 1, [0, 0, 0], shape, o));
        ErrorSuite<float>.Throws<ArgumentException>(5, "destination", o => LsrKernels.Gather(input, shape, 1, [0, 0, 0, 0], shape, o));
        ErrorSuite<float>.Throws<ArgumentOutOfRangeException>(4, "index", o => LsrKernels.Gather(input, shape, 1, [0, 1, 2, 0], shape, o), "Index 2 at position [1, 0]", "size 2");
        ErrorSuite<float>.Throws<ArgumentOutOfRangeException>(4, "index", o => LsrKernels.Gather(input, shape, 0, [0, 1, 0, -1], shape, o), "Index -1 at position [1, 1]");
        Assert.Equal("destination", Assert.Throws<ArgumentException>(() => LsrKernels.Gather(input, shape, 1, [0, 0, 0, 0], shape, input)).ParamName);
    }
}

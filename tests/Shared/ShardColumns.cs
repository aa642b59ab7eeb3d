using System;

namespace LsrGen.Tests;

/// <summary>A vocabulary shard's columns of a row-major [rows, K] matrix, as one process of a sharded run holds them.</summary>
public static class ShardColumns
{
    public static TValue[] Of<TValue>(TValue[] matrix, int classes, VocabShard shard)
    {
        int rows = matrix.Length / classes;
        var result = new TValue[rows * shard.Classes];
        for (int row = 0; row < rows; row++)
        {
            Array.Copy(matrix, (row * classes) + shard.Offset, result, row * shard.Classes, shard.Classes);
        }

        return result;
    }
}

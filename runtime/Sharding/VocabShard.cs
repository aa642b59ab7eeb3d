using System;

namespace LsrGen;

/// <summary>
/// A vocabulary shard: the columns [<see cref="Offset"/>, <see cref="Offset"/> + <see cref="Classes"/>) of every row,
/// out of a <see cref="CrossEntropyLoss{T}"/>'s K. The process (or rank) that holds a shard holds exactly those
/// columns of the logits, row-major, <see cref="Classes"/> per row.
/// </summary>
/// <param name="Offset">The first class of the shard, in [0, K).</param>
/// <param name="Classes">How many classes the shard holds, at least 1.</param>
public readonly record struct VocabShard(int Offset, int Classes)
{
    /// <summary>Splits K classes into <paramref name="count"/> shards of as equal sizes as possible (the first ones one larger).</summary>
    /// <param name="classes">The total class count K.</param>
    /// <param name="count">The number of shards, from 1 to K.</param>
    /// <param name="index">Which shard, in [0, count).</param>
    /// <returns>The shard.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static VocabShard Split(int classes, int count, int index)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, classes);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        int size = classes / count;
        int larger = classes % count;
        int offset = (index * size) + Math.Min(index, larger);
        return new VocabShard(offset, size + (index < larger ? 1 : 0));
    }
}

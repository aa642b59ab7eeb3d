using System;

namespace LsrGen.Tests;

/// <summary>Measures what a call allocates on the calling thread once warm.</summary>
public static class Allocations
{
    /// <summary>The fewest bytes one run of <paramref name="action"/> allocated, over up to 10 warm runs (0 ends early).</summary>
    public static long Least(Action action)
    {
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 10 && least > 0; attempt++)
        {
            action();
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}

using System;
using System.Linq;
using System.Threading;

namespace LsrGen.Tests;

/// <summary>Runs a body on several dedicated threads at once and reports the first exception any of them threw.</summary>
public static class OnThreads
{
    /// <summary>Starts <paramref name="count"/> threads running <paramref name="body"/>(thread id), waits for all of them.</summary>
    /// <param name="count">How many threads.</param>
    /// <param name="body">The work of one thread, given its id in [0, count).</param>
    /// <returns>The first exception thrown by any thread, or null.</returns>
    public static Exception? Run(int count, Action<int> body)
    {
        Exception? failure = null;
        Thread[] threads = Enumerable.Range(0, count).Select(id => new Thread(() =>
        {
            try
            {
                body(id);
            }
            catch (Exception ex)
            {
                Interlocked.CompareExchange(ref failure, ex, null);
            }
        })).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        return failure;
    }
}

namespace LsrGen.Scheduling;

/// <summary>
/// How much of the split work ran on worker threads rather than on the calling thread, so that tests can tell a run
/// that really used threads from one where the caller took every chunk (both give the same results).
/// </summary>
internal static class ParallelRunCounters
{
    /// <summary>Chunks run by worker threads since the process started.</summary>
    internal static long WorkerChunks;
}

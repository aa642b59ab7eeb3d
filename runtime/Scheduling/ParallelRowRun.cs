using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace LsrGen.Scheduling;

/// <summary>
/// One call's rows spread over the calling thread and thread-pool workers that join it, without allocating: each
/// calling thread keeps one instance per kernel and reuses it (and its chunk-sum array) for every later call.
/// </summary>
/// <remarks>
/// The caller queues the workers and starts on the chunks at once, so a worker that the pool starts late costs
/// nothing but its share. When the caller runs out of chunks it closes the call to workers that have not joined
/// and waits only for those inside it (at most one chunk each). A worker still queued from an earlier call either
/// finds the call closed, or joins the caller's next call after all of that call's fields are set: both are safe.
/// </remarks>
internal sealed class ParallelRowRun<T, TKernel> : IThreadPoolWorkItem
    where T : unmanaged
    where TKernel : ILsrRowKernel<T>
{
    [ThreadStatic]
    private static ParallelRowRun<T, TKernel>? t_run;

    private RowArgs<T> _args;
    private RowOperation _operation;
    private int _rows;
    private int _chunkRows;
    private int _chunks;
    private double[] _partials = [];
    private int _nextChunk;

    // Workers that may still join this call; set last when a call starts, zeroed when it ends.
    private int _openSeats;

    // Workers inside Execute, counted before they try for a seat so that the caller never misses one.
    private int _running;
    private Exception? _failure;

    /// <summary>Runs the chunks on up to <paramref name="threads"/> threads; returns their sums added in chunk order.</summary>
    public static double Run(RowOperation operation, in RowArgs<T> args, int rows, int chunkRows, int chunks, int threads)
        => (t_run ??= new ParallelRowRun<T, TKernel>()).RunOnCaller(operation, args, rows, chunkRows, chunks, threads);

    private double RunOnCaller(RowOperation operation, in RowArgs<T> args, int rows, int chunkRows, int chunks, int threads)
    {
        if (_partials.Length < chunks)
        {
            _partials = new double[chunks];
        }

        _args = args;
        _operation = operation;
        _rows = rows;
        _chunkRows = chunkRows;
        _chunks = chunks;
        _nextChunk = -1;
        _failure = null;
        int workers = Math.Min(threads, chunks) - 1;
        Volatile.Write(ref _openSeats, workers);
        for (int i = 0; i < workers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        try
        {
            RunChunks(worker: false);
        }
        finally
        {
            // The arguments point into memory the caller pinned for this call only: no worker may touch it after.
            Interlocked.Exchange(ref _openSeats, 0);
            var spin = default(SpinWait);
            while (Volatile.Read(ref _running) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1); // a worker is inside one chunk at most: never sleep a millisecond
            }

            _args = default;
        }

        if (_failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        double total = 0;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            total += _partials[chunk];
        }

        return total;
    }

    void IThreadPoolWorkItem.Execute()
    {
        Interlocked.Increment(ref _running);
        try
        {
            if (TryTakeSeat())
            {
                RunChunks(worker: true);
            }
        }
        catch (Exception e)
        {
            // Kernels run on validated arguments and do not throw; should one, the caller rethrows it.
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private bool TryTakeSeat()
    {
        int seats = Volatile.Read(ref _openSeats);
        while (seats > 0)
        {
            int seen = Interlocked.CompareExchange(ref _openSeats, seats - 1, seats);
            if (seen == seats)
            {
                return true;
            }

            seats = seen;
        }

        return false;
    }

    private void RunChunks(bool worker)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref _nextChunk)) < _chunks)
        {
            int first = chunk * _chunkRows;
            _partials[chunk] = RowDriver.Invoke<T, TKernel>(_operation, _args, first, Math.Min(_rows, first + _chunkRows));
            if (worker)
            {
                Interlocked.Increment(ref ParallelRunCounters.WorkerChunks);
            }
        }
    }
}

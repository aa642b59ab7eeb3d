using System;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using LsrGen;
using LsrGen.Sharded;

// Vocabulary-sharded cross-entropy over MPI: every rank holds columns [offset, offset + K/P) of a K = 50,257 head's
// logits for N rows, computes its partials, and two all-reduces (MAX of the row maxima, SUM of the rest) give every
// rank the merged partials; each rank then has the loss and writes its own gradient slice. Every rank also builds the
// full rows (same seed) and checks its results against the single-process loss.
//
//   mpiexec --bind-to none -n 4 dotnet samples/LsrGen.Sharded/bin/Release/net10.0/LsrGen.Sharded.dll [rows] [steps]
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
const int Classes = 50257;
const int Seed = 2026;
int rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 32;
int steps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;

Mpi.Init();
try
{
    int rank = Mpi.Rank, size = Mpi.Size;
    VocabShard shard = VocabShard.Split(Classes, size, rank);
    (float[] full, int[] targets) = Batch(rows, Seed);
    float[] logits = Columns(full, shard);
    LsrKernels.MaxDegreeOfParallelism = 1; // one core per rank: the ranks share this machine's cores
    var loss = new CrossEntropyLoss<float>(Classes) { LabelSmoothing = 0.1f, IgnoreIndex = -100, ZLossScale = 1e-4f };

    var partials = new ShardPartials[rows];
    var maxima = new double[rows];
    var lossGradients = new float[rows];
    var gradient = new float[logits.Length];
    float sharded = 0;
    var times = new double[steps];
    var reduceTimes = new double[steps];
    for (int step = 0; step < steps; step++)
    {
        var clock = Stopwatch.StartNew();
        sharded = Step(loss, logits, shard, targets, partials, maxima, lossGradients, gradient, out double reduceMilliseconds);
        times[step] = clock.Elapsed.TotalMilliseconds;
        reduceTimes[step] = reduceMilliseconds;
    }

    // The single-process reference: the full rows on this rank alone.
    var fullGradient = new float[full.Length];
    float single = loss.ForwardBackward(full, targets, fullGradient);
    float[] expectedSlice = Columns(fullGradient, shard);
    int bad = 0;
    double worst = 0;
    for (int i = 0; i < gradient.Length; i++)
    {
        double error = Math.Abs(gradient[i] - expectedSlice[i]);
        worst = Math.Max(worst, error / ((1e-5 * Math.Abs(expectedSlice[i])) + 1e-6));
        bad += error <= (1e-5 * Math.Abs(expectedSlice[i])) + 1e-6 ? 0 : 1;
    }

    double relative = Math.Abs(sharded - single) / Math.Abs(single);
    bad += Math.Abs(sharded - single) <= (1e-4 * Math.Abs(single)) + 1e-6 ? 0 : 1; // section 6's bound for a loss over K > 32768

    // Every rank's verdict and time, summed to rank 0's view.
    Array.Sort(times);
    Array.Sort(reduceTimes);
    double[] report = [bad, times[steps / 2], worst, reduceTimes[steps / 2]];
    double[] all = new double[4 * size];
    report.CopyTo(all, 4 * rank);
    Mpi.AllReduceSum(all);
    if (rank == 0)
    {
        Console.WriteLine($"K = {Classes}, N = {rows}, {size} rank(s), shard of rank 0: [{shard.Offset}, {shard.Offset + shard.Classes})");
        Console.WriteLine($"sharded loss       {sharded:R}");
        Console.WriteLine($"single-process     {single:R}");
        Console.WriteLine($"relative diff      {relative:E2}");
        for (int r = 0; r < size; r++)
        {
            Console.WriteLine(
                $"rank {r}: median step {all[(4 * r) + 1]:F2} ms (all-reduces {all[(4 * r) + 3]:F2} ms), gradient slice at {all[(4 * r) + 2]:F3} of the bound, {all[4 * r]} values beyond it");
        }

        double failures = 0;
        for (int r = 0; r < size; r++)
        {
            failures += all[4 * r];
        }

        Console.WriteLine($"sharded test: {size} rank(s) {(failures == 0 ? "passed" : "failed")}");
    }

    return bad == 0 ? 0 : 1;
}
finally
{
    Mpi.Close();
}

// One training step's loss work on this rank: partials, the two all-reduces, the loss, the gradient slice of the mean.
static float Step(
    CrossEntropyLoss<float> loss, float[] logits, VocabShard shard, int[] targets, ShardPartials[] partials, double[] maxima,
    float[] lossGradients, float[] gradient, out double reduceMilliseconds)
{
    loss.ForwardShard(logits, shard, targets, partials);
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < partials.Length; i++)
    {
        maxima[i] = partials[i].Max;
    }

    Mpi.AllReduceMax(maxima);
    for (int i = 0; i < partials.Length; i++)
    {
        partials[i] = partials[i].RescaledTo(maxima[i]);
    }

    Span<double> fields = MemoryMarshal.Cast<ShardPartials, double>(partials.AsSpan());
    Mpi.AllReduceSum(fields); // every field adds; Max (equal on every rank) is restored below
    for (int i = 0; i < partials.Length; i++)
    {
        partials[i] = partials[i] with { Max = maxima[i] };
    }

    reduceMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    float mean = loss.ForwardFromPartials(partials, targets);
    lossGradients.AsSpan().Fill(1f / loss.MeanDenominator(targets));
    loss.BackwardShard(logits, shard, targets, partials, lossGradients, gradient);
    return mean;
}

// The batch every rank can rebuild: normal(0, 3) logits and random targets from one seed, every eighth row ignored.
static (float[] Logits, int[] Targets) Batch(int rows, int seed)
{
    var random = new Random(seed);
    var logits = new float[rows * Classes];
    for (int i = 0; i < logits.Length; i++)
    {
        logits[i] = (float)(3 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    var targets = new int[rows];
    for (int i = 0; i < rows; i++)
    {
        targets[i] = i % 8 == 7 ? -100 : random.Next(Classes);
    }

    return (logits, targets);
}

static float[] Columns(float[] matrix, VocabShard shard)
{
    int rows = matrix.Length / Classes;
    var result = new float[rows * shard.Classes];
    for (int row = 0; row < rows; row++)
    {
        Array.Copy(matrix, (row * Classes) + shard.Offset, result, row * shard.Classes, shard.Classes);
    }

    return result;
}

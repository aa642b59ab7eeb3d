using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Headline run: dotnet run -c Release --project benchmarks/LsrGen.Benchmarks -- --filter 'LsrGen.Benchmarks.Forward*'
// Shape run:    ... --filter '*SmallKThreshold*' (block vs loop code shape per K); --filter '*' runs everything.
// Quick run:    add --job short (one process, 3 warm-ups, 3 iterations).
// Each benchmark runs in 3 processes and their iterations are pooled: on this machine the same machine code measures up
// to a third apart from one process to the next (docs/benchmarks.md), more than most differences worth reporting.
// A/B run:      add --baseline DIR (the root of another checkout, e.g. a git worktree of the previous commit): every
// benchmark also runs built against DIR's runtime and generator, as job "Baseline", in the same run.
// Fewer K:      set LSRGEN_K=3,10,1000 to run only those K of Forward, ForwardBackward and Training.
// Launches:     add --launches N to pool N processes instead of 3 (a small A/B difference needs more than 3).
string? baseline = null;
int at = Array.IndexOf(args, "--baseline");
if (at >= 0 && at + 1 < args.Length)
{
    baseline = System.IO.Path.GetFullPath(args[at + 1]);
    args = [.. args.Take(at), .. args.Skip(at + 2)];
}

int launches = 3;
at = Array.IndexOf(args, "--launches");
if (at >= 0 && at + 1 < args.Length)
{
    launches = int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture);
    args = [.. args.Take(at), .. args.Skip(at + 2)];
}

IConfig config = DefaultConfig.Instance;
Job job = Job.Default.WithLaunchCount(launches).WithWarmupCount(3).WithIterationCount(6);
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal)))
{
    config = config.AddJob(job.WithId("Lsr"));
    if (baseline is not null)
    {
        config = config.AddJob(job.WithArguments([new MsBuildArgument($"/p:LsrGenBaseline={baseline}/")]).WithId("Baseline"));
    }
}

BenchmarkSwitcher.FromAssembly(typeof(LsrGen.Benchmarks.Forward).Assembly).Run(args, config);

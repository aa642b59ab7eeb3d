using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Headline run: dotnet run -c Release --project benchmarks/LsrGen.Benchmarks -- --filter 'LsrGen.Benchmarks.Forward*' 'LsrGen.Benchmarks.Threads*'
// Shape run:    ... --filter '*SmallKThreshold*' (block vs loop code shape per K); --filter '*' runs everything.
// Quick run:    add --job short (one process, 3 warm-ups, 3 iterations).
// Each benchmark runs in 3 processes and their iterations are pooled: on this machine the same machine code measures up
// to a third apart from one process to the next (docs/benchmarks.md), more than most differences worth reporting.
IConfig config = DefaultConfig.Instance;
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default.WithLaunchCount(3).WithWarmupCount(3).WithIterationCount(6).WithId("Lsr"));
}

BenchmarkSwitcher.FromAssembly(typeof(LsrGen.Benchmarks.Forward).Assembly).Run(args, config);

using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Headline run: dotnet run -c Release --project benchmarks/LsrGen.Benchmarks -- --filter 'LsrGen.Benchmarks.Forward*' 'LsrGen.Benchmarks.Threads*'
// Shape run:    ... --filter '*SmallKThreshold*' (block vs loop code shape per K); --filter '*' runs everything.
// Quick run:    add --job short (3 warm-ups, 3 iterations).
IConfig config = DefaultConfig.Instance;
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default.WithWarmupCount(4).WithIterationCount(12).WithId("Lsr"));
}

BenchmarkSwitcher.FromAssembly(typeof(LsrGen.Benchmarks.Forward).Assembly).Run(args, config);

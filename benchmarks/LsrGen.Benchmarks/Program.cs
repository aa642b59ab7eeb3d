using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// Full run:  dotnet run -c Release --project benchmarks/LsrGen.Benchmarks -- --filter '*'
// Quick run: add --job short (3 warm-ups, 3 iterations).
IConfig config = DefaultConfig.Instance;
if (!args.Any(a => a.StartsWith("--job", StringComparison.Ordinal)))
{
    config = config.AddJob(Job.Default.WithWarmupCount(4).WithIterationCount(12).WithId("Lsr"));
}

BenchmarkSwitcher.FromAssembly(typeof(LsrGen.Benchmarks.Forward).Assembly).Run(args, config);

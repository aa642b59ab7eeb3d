using System.Linq;
using System.Reflection;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// LsrGen beside libtorch 2.10 (TorchSharp 0.107), same data, one thread each:
//   dotnet run -c Release --project benchmarks/LsrGen.TorchSharp.Benchmarks -- --filter '*'
// Needs g++ and patchelf (apt-get install g++ patchelf): every build, BenchmarkDotNet's included, makes libtorch load on
// Debian 12 (LoadableLibTorchSharp.targets). Each benchmark runs in 3 processes whose iterations are pooled, as in the
// main benchmarks.
string targets = typeof(LsrGen.Benchmarks.TorchSharpForward).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
    .Single(a => a.Key == "LoadableLibTorchSharpTargets").Value!;
Job job = Job.Default.WithLaunchCount(3).WithWarmupCount(3).WithIterationCount(6)
    .WithArguments([new MsBuildArgument($"/p:CustomAfterMicrosoftCommonTargets={targets}")])
    .WithId("Lsr");
// As the default job, its settings (the targets file above among them) also apply to a job given with --job.
BenchmarkSwitcher.FromAssembly(typeof(LsrGen.Benchmarks.TorchSharpForward).Assembly).Run(args, DefaultConfig.Instance.AddJob(job.AsDefault()));

using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// LsrGen beside libtorch 2.10 (TorchSharp 0.107), same data, one thread each:
//   dotnet run -c Release --project benchmarks/LsrGen.TorchSharp.Benchmarks -- --filter '*'
// Needs g++ and patchelf (apt-get install g++ patchelf): the build makes libtorch load on Debian 12 (Directory.Build.targets).
// Each benchmark runs in 3 processes whose iterations are pooled, as in the main benchmarks.
Job job = Job.Default.WithLaunchCount(3).WithWarmupCount(3).WithIterationCount(6).WithId("Lsr");
BenchmarkSwitcher.FromAssembly(typeof(LsrGen.Benchmarks.TorchSharpForward).Assembly)
    .Run(args, DefaultConfig.Instance.AddJob(job.AsDefault()));

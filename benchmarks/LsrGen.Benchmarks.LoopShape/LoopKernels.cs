using LsrGen;

namespace LsrGen.Benchmarks.LoopShape;

/// <summary>Kernels for K = 16..32 that run the runtime's row loops (this project sets LsrGenSmallClassLimit to 15).</summary>
[GeneratedLsrKernels(16)]
public static partial class LoopK16;

[GeneratedLsrKernels(20)]
public static partial class LoopK20;

[GeneratedLsrKernels(24)]
public static partial class LoopK24;

[GeneratedLsrKernels(28)]
public static partial class LoopK28;

[GeneratedLsrKernels(32)]
public static partial class LoopK32;

using LsrGen;

namespace LsrGen.Benchmarks.BlockShape;

/// <summary>Block-shape kernels for K = 16..32 (this project sets LsrGenSmallClassLimit to 32).</summary>
[GeneratedLsrKernels(16)]
public static partial class BlockK16;

[GeneratedLsrKernels(20)]
public static partial class BlockK20;

[GeneratedLsrKernels(24)]
public static partial class BlockK24;

[GeneratedLsrKernels(28)]
public static partial class BlockK28;

[GeneratedLsrKernels(32)]
public static partial class BlockK32;

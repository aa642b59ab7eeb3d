using LsrGen;

namespace LsrGen.Benchmarks;

/// <summary>The class counts benchmarked, each with generated kernels.</summary>
[GeneratedLsrKernels(3)]
public static partial class K3;

[GeneratedLsrKernels(10)]
public static partial class K10;

[GeneratedLsrKernels(100)]
public static partial class K100;

[GeneratedLsrKernels(1000)]
public static partial class K1000;

[GeneratedLsrKernels(32000)]
public static partial class K32000;

[GeneratedLsrKernels(17)]
public static partial class K17;

[GeneratedLsrKernels(32)]
public static partial class K32;

[GeneratedLsrKernels(50)]
public static partial class K50;

[GeneratedLsrKernels(200)]
public static partial class K200;

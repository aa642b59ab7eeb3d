using LsrGen;

namespace LsrGen.Consumer.Tests;

/// <summary>The seed notebook's three classes.</summary>
[GeneratedLsrKernels(3)]
public static partial class Seed3;

/// <summary>CIFAR-10: a struct host, to show structs work too.</summary>
[GeneratedLsrKernels(10)]
public partial struct Cifar10;

/// <summary>ImageNet-1k: the large-K shape.</summary>
[GeneratedLsrKernels(1000)]
public static partial class ImageNet;

internal static partial class Outer
{
    /// <summary>A private nested host.</summary>
    [GeneratedLsrKernels(17)]
    private static partial class Nested17
    {
    }

    public static System.Type Nested17Type => typeof(Nested17);
}

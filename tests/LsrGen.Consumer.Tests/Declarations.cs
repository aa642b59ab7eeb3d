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

// Every other class count of the training golden cases, so that each case runs a generated kernel.
[GeneratedLsrKernels(1)]
public static partial class Training1;

[GeneratedLsrKernels(2)]
public static partial class Training2;

[GeneratedLsrKernels(5)]
public static partial class Training5;

[GeneratedLsrKernels(7)]
public static partial class Training7;

[GeneratedLsrKernels(16)]
public static partial class Training16;

[GeneratedLsrKernels(32)]
public static partial class Training32;

[GeneratedLsrKernels(33)]
public static partial class Training33;

[GeneratedLsrKernels(100)]
public static partial class Training100;

[GeneratedLsrKernels(4097)]
public static partial class Training4097;

[GeneratedLsrKernels(32000)]
public static partial class Training32000;

/// <summary>The declared class for each K above, for tests that call a generated class directly.</summary>
internal static class Declared
{
    public static System.Type For(int classes) => classes switch
    {
        1 => typeof(Training1),
        2 => typeof(Training2),
        3 => typeof(Seed3),
        5 => typeof(Training5),
        7 => typeof(Training7),
        10 => typeof(Cifar10),
        16 => typeof(Training16),
        17 => Outer.Nested17Type,
        32 => typeof(Training32),
        33 => typeof(Training33),
        100 => typeof(Training100),
        1000 => typeof(ImageNet),
        4097 => typeof(Training4097),
        32000 => typeof(Training32000),
        _ => throw new System.ArgumentOutOfRangeException(nameof(classes), classes, "no class declares this K"),
    };
}

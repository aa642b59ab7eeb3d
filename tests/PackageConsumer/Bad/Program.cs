using LsrGen;

Console.WriteLine("must not build");

/// <summary>Not partial: the generator must report LSR0001 and the build must fail.</summary>
[GeneratedLsrKernels(10)]
internal static class NotPartial;

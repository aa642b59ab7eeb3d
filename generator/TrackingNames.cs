namespace LsrGen.Generator;

/// <summary>The names of the tracked pipeline steps, for incrementality tests.</summary>
internal static class TrackingNames
{
    public const string Declarations = nameof(Declarations);
    public const string Specs = nameof(Specs);
    public const string KernelGroups = nameof(KernelGroups);
    public const string ShapeOptions = nameof(ShapeOptions);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Duplicates = nameof(Duplicates);
}

using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Up to which K an operation is written in the block shape (rows across SIMD lanes, per-class steps unrolled); above
/// it the generated member calls the runtime's row loops. The defaults come from the SmallKThreshold benchmark
/// (docs/benchmarks.md, AVX-512, grouped transposes): the class-index loss without gradient (K class vectors in, one
/// loss per row out) ran in 0.58-0.99 of the row loops' time at every K from 16 to 32; every other operation in
/// 0.48-0.83 up to K = 20, while past it the fused loss lost (1.13-1.70). The MSBuild property
/// <c>LsrGenSmallClassLimit</c> (made compiler-visible) sets both within [<see cref="Minimum"/>, <see cref="Maximum"/>],
/// so that both shapes of one K can be measured.
/// </summary>
internal static class ShapeOptions
{
    public const string Property = "build_property.LsrGenSmallClassLimit";

    /// <summary>Below 16 classes every operation keeps the block shape: the limit only moves K >= 16.</summary>
    public const int Minimum = 15;

    /// <summary>Beyond this the block shape's K column vectors no longer fit the 32 vector registers.</summary>
    public const int Maximum = 32;

    public static readonly ShapeLimits Default = new(HardForward: 32, Others: 20);

    public static ShapeLimits Limits(AnalyzerConfigOptions options)
    {
        if (!options.TryGetValue(Property, out string? text)
            || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            return Default;
        }

        int limit = value < Minimum ? Minimum : value > Maximum ? Maximum : value;
        return new ShapeLimits(limit, limit);
    }
}

/// <summary>The largest K written in the block shape: for the class-index loss without gradient, and for the others.</summary>
internal sealed record ShapeLimits(int HardForward, int Others)
{
    public bool IsBlock(int classes, RowOperation operation) => classes <= (operation == RowOperation.HardForward ? HardForward : Others);
}

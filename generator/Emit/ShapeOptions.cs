using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Up to which K an operation is written in the block shape (rows across SIMD lanes, per-class work written out);
/// above it each row runs vector loops over its classes. The defaults come from the SmallKThreshold benchmark
/// (docs/benchmarks.md): the class-index loss without gradient (K column vectors in, one loss per row out) stays
/// 1.7-2.7x faster in the block shape up to K = 28 and 3x slower at 32; every other operation (K more vectors of
/// probabilities in, or K outputs per row to transpose back) was faster in the block shape at K = 16 and 1.5-2.6x
/// slower from K = 17/20 on. The MSBuild property <c>LsrGenSmallClassLimit</c> (made
/// compiler-visible) sets both within [<see cref="Minimum"/>, <see cref="Maximum"/>], so that both shapes of one K can
/// be measured.
/// </summary>
internal static class ShapeOptions
{
    public const string Property = "build_property.LsrGenSmallClassLimit";

    /// <summary>The loop shape needs at least one whole Vector512 of floats per row: K >= 16.</summary>
    public const int Minimum = LoopKernelEmitter.MinimumClasses - 1;

    /// <summary>Beyond this the block shape's K column vectors no longer fit the 32 vector registers.</summary>
    public const int Maximum = 32;

    public static readonly ShapeLimits Default = new(HardForward: 28, Others: 16);

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

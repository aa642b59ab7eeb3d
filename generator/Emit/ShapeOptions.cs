using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Up to which K an operation is written in the block shape (rows across SIMD lanes, per-class work written out);
/// above it each row runs vector loops over its classes. The defaults come from the SmallKThreshold benchmark
/// (docs/benchmarks.md, AVX-512, after the vscalefps exp freed registers): the class-index loss without gradient
/// (K column vectors in, one loss per row out) ran in 0.37-0.70 of the loop shape's time at every K from 16 to 32;
/// every other operation (K more vectors of probabilities in, or K outputs per row to transpose back) in 0.44-0.73
/// up to K = 20, about even at 24 and 1.1-4.4x slower from 28 on. The MSBuild property <c>LsrGenSmallClassLimit</c>
/// (made compiler-visible) sets both within [<see cref="Minimum"/>, <see cref="Maximum"/>], so that both shapes of one
/// K can be measured.
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

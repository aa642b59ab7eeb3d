using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Up to which K an operation is written in the block shape (rows across SIMD lanes, per-class steps unrolled); above
/// it the generated member calls the runtime's row kernels, which run the class-index operations (loss, fused gradient,
/// Backward) in the runtime's gathered blocks and the others in row loops. Defaults, measured on this project's
/// AVX-512 machine: the class-index operations keep generated blocks only below 10 classes (at K = 3 they ran 1.3x
/// faster than the gathered blocks; from K = 10 on the gathered ones were as fast or faster: 0.58 against 0.66 ns per
/// element forward at K = 10, 0.45 against 0.65 at 17); every other operation keeps them up to K = 20 (0.48-0.83 of the
/// row loops' time, SmallKThreshold benchmark in docs/benchmarks.md). The MSBuild property
/// <c>LsrGenSmallClassLimit</c> (made compiler-visible) sets both within [<see cref="Minimum"/>, <see cref="Maximum"/>],
/// so that both shapes of one K can be measured.
/// </summary>
internal static class ShapeOptions
{
    public const string Property = "build_property.LsrGenSmallClassLimit";

    /// <summary>Below 16 classes every operation but the class-index ones keeps the block shape: the limit only moves K >= 16.</summary>
    public const int Minimum = 15;

    /// <summary>Beyond this the block shape's K column vectors no longer fit the 32 vector registers.</summary>
    public const int Maximum = 32;

    public static readonly ShapeLimits Default = new(ClassIndex: 9, Others: 20);

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

/// <summary>
/// The largest K written in the block shape: for the class-index operations (loss, fused gradient, Backward), and for
/// the others (log-softmax, softmax, probability targets).
/// </summary>
internal sealed record ShapeLimits(int ClassIndex, int Others)
{
    public bool IsBlock(int classes, RowOperation operation)
        => classes <= (operation is RowOperation.HardForward or RowOperation.HardGradient or RowOperation.HardBackward ? ClassIndex : Others);
}

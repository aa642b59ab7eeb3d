using System.Globalization;
using LsrGen.Routing;
using Microsoft.CodeAnalysis.Diagnostics;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Up to which K an operation is written in the block shape; above it the generated member calls the runtime's row
/// kernels, where the routing table picks the shape. The defaults are the routing table's; the MSBuild property
/// <c>LsrGenSmallClassLimit</c> (made compiler-visible) sets both limits within
/// [<see cref="RoutingTable.GeneratedLimitMinimum"/>, <see cref="RoutingTable.GeneratedLimitMaximum"/>], so that both
/// shapes of one K can be measured.
/// </summary>
internal static class ShapeOptions
{
    public const string Property = "build_property.LsrGenSmallClassLimit";

    public static readonly ShapeLimits Default = new(RoutingTable.GeneratedClassIndexLimit, RoutingTable.GeneratedOtherLimit);

    public static ShapeLimits Limits(AnalyzerConfigOptions options)
    {
        if (!options.TryGetValue(Property, out string? text)
            || !int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value))
        {
            return Default;
        }

        int limit = value < RoutingTable.GeneratedLimitMinimum ? RoutingTable.GeneratedLimitMinimum
            : value > RoutingTable.GeneratedLimitMaximum ? RoutingTable.GeneratedLimitMaximum : value;
        return new ShapeLimits(limit, limit);
    }
}

/// <summary>
/// The largest K written in the block shape: for the class-index operations (loss, fused gradient, Backward), and for
/// the others (log-softmax, softmax, probability targets).
/// </summary>
internal sealed record ShapeLimits(int ClassIndex, int Others)
{
    public bool IsBlock(int classes, RowOperation operation) => RoutingTable.GeneratesBlocks(operation, classes, ClassIndex, Others);
}

using System.Collections.Generic;
using System.IO;

namespace LsrGen.Tools;

/// <summary>Every runtime file written from a template, by its path from the repository root.</summary>
public static class Templates
{
    public static IReadOnlyList<(string Path, string Text)> All =>
    [
        (Path.Combine("runtime", "Shapes", "RowLoops", "RowKernels.Registers.cs"), RegisterRowsTemplate.Render()),
        (Path.Combine("runtime", "Shapes", "GatheredBlocks", "ClassTransposes.cs"), ClassTransposesTemplate.Render()),
    ];
}

using System.Linq;
using LsrGen.Generator.Model;
using LsrGen.Routing;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Emits, once per K, the row-kernel struct that implements ILsrRowKernel for float and double, and the module
/// initialiser that registers it with LsrKernels' router under the routing winner's name. Each member is one call: to
/// the runtime's block kernels where the block shape wins for this K and operation (the struct then also carries that
/// operation's block code, see <see cref="BlockEmitter"/>), else to the runtime's row loops with K fixed at JIT time.
/// </summary>
internal static class KernelEmitter
{
    public static string KernelTypeName(int classes) => $"global::LsrGen.Generated.{StructName(classes)}";

    public static string Emit(KernelGroup group)
    {
        int k = group.Classes;
        string name = StructName(k);
        bool blocks = RowOperations.All.Any(o => group.Shapes.IsBlock(k, o));
        var w = new IndentedWriter();
        GeneratedText.Header(w);
        w.Line("namespace LsrGen.Generated;");
        w.Line();
        Usings(w, blocks);
        w.Line();
        w.Line($"/// <summary>Row kernels generated for exactly {k} classes. For generated code only.</summary>");
        w.Line(GeneratedText.GeneratedCode);
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        string classCount = blocks ? "LsrContract.IBlockKernel" : "LsrContract.IClassCount";
        using (w.Block($"internal readonly struct {name} : LsrContract.ILsrRowKernel<float>, LsrContract.ILsrRowKernel<double>, {classCount}"))
        {
            Resolve(w, k);
            foreach (string element in new[] { "float", "double" })
            {
                foreach (RowOperation operation in RowOperations.All)
                {
                    Member(w, name, element, operation, group.Shapes.IsBlock(k, operation) ? "LsrShapes.GeneratedBlocks.BlockKernels" : "LsrShapes.RowLoops.RowKernels");
                }
            }

            if (blocks)
            {
                BlockEmitter.Emit(w, k, RowOperations.All.Where(o => group.Shapes.IsBlock(k, o)).ToArray());
            }
        }

        w.Line();
        Registration(w, name, group);

        return w.ToString();
    }

    /// <summary>The widths BlockKernels runs for this K: Vector512 always, Vector256 where the routing table runs it.</summary>
    public static BlockWidth[] Widths(int classes)
        => RoutingTable.GeneratesVector256Blocks(classes)
            ? [BlockWidth.Float512, BlockWidth.Float256, BlockWidth.Double512, BlockWidth.Double256]
            : [BlockWidth.Float512, BlockWidth.Double512];

    private static string StructName(int classes) => $"LsrKernel{classes}";

    private static void Usings(IndentedWriter w, bool blocks)
    {
        if (blocks)
        {
            w.Line("using Avx = global::System.Runtime.Intrinsics.X86.Avx;");
            w.Line("using Avx2 = global::System.Runtime.Intrinsics.X86.Avx2;");
            w.Line("using Avx512 = global::System.Runtime.Intrinsics.X86.Avx512F;");
            w.Line("using U = global::System.Runtime.CompilerServices.Unsafe;");
            w.Line("using V256 = global::System.Runtime.Intrinsics.Vector256;");
            w.Line("using V512 = global::System.Runtime.Intrinsics.Vector512;");
            foreach (BlockWidth width in new[] { BlockWidth.Float512, BlockWidth.Float256, BlockWidth.Double512, BlockWidth.Double256 })
            {
                w.Line($"using {width.Alias} = {width.VectorType};");
            }
        }

        w.Line("using LsrContract = global::LsrGen.Contract;");
        if (blocks)
        {
            w.Line("using LsrLossMath = global::LsrGen.LossMath;");
        }

        w.Line("using LsrShapes = global::LsrGen.Shapes;");
    }

    private static void Resolve(IndentedWriter w, int k)
    {
        w.Line($"/// <summary>Returns the constant K = {k}, which the JIT folds into the runtime's loops.</summary>");
        w.Line("/// <param name=\"runtimeClasses\">Ignored.</param>");
        w.Line($"/// <returns>{k}.</returns>");
        w.Line($"public static int Resolve(int runtimeClasses) => {k};");
    }

    private static void Member(IndentedWriter w, string name, string element, RowOperation operation, string kernels)
    {
        w.Line();
        w.Line("/// <inheritdoc/>");
        w.Line($"public static {(operation.ReturnsLoss() ? "double" : "void")} {operation}(in LsrContract.RowArgs<{element}> args, int firstRow, int endRow)");
        w.Line($"    => {kernels}<{element}, {name}>.{operation}(args, firstRow, endRow);");
    }

    private static void Registration(IndentedWriter w, string name, KernelGroup group)
    {
        w.Line($"/// <summary>Registers <see cref=\"{name}\"/> so that LsrKernels routes {group.Classes} classes to it.</summary>");
        w.Line(GeneratedText.GeneratedCode);
        using (w.Block($"internal static class {name}Registration"))
        {
            w.Line("/// <summary>Runs when the assembly loads.</summary>");
            w.Line("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            w.Line($"internal static void Register() => LsrContract.LsrKernelRegistry.Register<{name}>({group.Classes}, \"{Escape(group.RoutedTypeName)}\");");
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\"", "\\\"");
}

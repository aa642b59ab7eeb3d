using System.Runtime.CompilerServices;

namespace LsrGen.Routing;

/// <summary>
/// One registered generated kernel, as routing calls it: the row driver specialised for the kernel's struct, for float
/// and double. Calls go through function pointers to the very driver methods the generated class's own members use,
/// so results are bit-identical; not through virtual methods, because tiered PGO then compiled the routed kernels
/// measurably slower than direct calls while with PGO off both ran alike.
/// </summary>
internal sealed unsafe class GeneratedKernel
{
    private delegate*<RowOperation, in RowArgs<float>, int, double> _runFloat;
    private delegate*<RowOperation, in RowArgs<double>, int, double> _runDouble;

    private GeneratedKernel(int classes, string typeName)
    {
        Classes = classes;
        TypeName = typeName;
    }

    public int Classes { get; }

    public string TypeName { get; }

    public static GeneratedKernel Create<TKernel>(int classes, string typeName)
        where TKernel : ILsrRowKernel<float>, ILsrRowKernel<double>
        => new(classes, typeName)
        {
            _runFloat = &RowDriver.Run<float, TKernel>,
            _runDouble = &RowDriver.Run<double, TKernel>,
        };

    /// <summary>Runs one row operation on validated arguments.</summary>
    public double Run<T>(RowOperation operation, in RowArgs<T> args, int rows)
        where T : unmanaged
        => typeof(T) == typeof(float)
            ? _runFloat(operation, in Unsafe.As<RowArgs<T>, RowArgs<float>>(ref Unsafe.AsRef(in args)), rows)
            : _runDouble(operation, in Unsafe.As<RowArgs<T>, RowArgs<double>>(ref Unsafe.AsRef(in args)), rows);
}

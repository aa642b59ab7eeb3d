using System.Runtime.CompilerServices;

namespace LsrGen.Routing;

/// <summary>Runs validated arguments on the generated kernel registered for their K, or on the runtime's.</summary>
internal static class KernelLookup
{
    public static double Run<T>(RowOperation operation, in RowArgs<T> args, int rows)
        where T : unmanaged
        => LsrKernelRegistry.Find(args.Classes) is { } kernel
            ? kernel.Run(operation, args, rows)
            : typeof(T) == typeof(float)
                ? RowDriver.Run<float, GenericRowKernel>(operation, in Unsafe.As<RowArgs<T>, RowArgs<float>>(ref Unsafe.AsRef(in args)), rows)
                : RowDriver.Run<double, GenericRowKernel>(operation, in Unsafe.As<RowArgs<T>, RowArgs<double>>(ref Unsafe.AsRef(in args)), rows);
}

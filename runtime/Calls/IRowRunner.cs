
namespace LsrGen.Calls;

/// <summary>Where a validated call's packed rows go: one kernel, or the kernel registered for K.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal interface IRowRunner<T>
    where T : unmanaged
{
    /// <summary>Runs the operation over the rows and returns the sum of the row losses (0 for the others).</summary>
    /// <param name="operation">The operation.</param>
    /// <param name="args">The validated, pinned arguments.</param>
    /// <param name="rows">N.</param>
    /// <returns>The loss sum.</returns>
    static abstract double Run(RowOperation operation, in RowArgs<T> args, int rows);
}

/// <summary>Runs every call on <typeparamref name="TKernel"/>: a generated class's own members.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TKernel">The kernel.</typeparam>
internal readonly struct DirectRunner<T, TKernel> : IRowRunner<T>
    where T : unmanaged
    where TKernel : ILsrRowKernel<T>
{
    /// <inheritdoc/>
    public static double Run(RowOperation operation, in RowArgs<T> args, int rows) => RowDriver.Run<T, TKernel>(operation, args, rows);
}

/// <summary>Runs a call on the generated kernel registered for its K, or on the runtime's (<see cref="KernelLookup"/>).</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct RoutedRunner<T> : IRowRunner<T>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static double Run(RowOperation operation, in RowArgs<T> args, int rows) => KernelLookup.Run(operation, args, rows);
}

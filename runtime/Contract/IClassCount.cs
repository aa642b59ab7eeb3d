using System.ComponentModel;

namespace LsrGen.Contract;

/// <summary>
/// Supplies the class count to <see cref="RowKernels{T, TClasses}"/>. A generated struct returns its constant, which
/// the JIT folds into the row loops (constant trip counts, no remainder checks); the runtime passes the call's value.
/// For generated code only: not intended to be implemented directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IClassCount
{
    /// <summary>Returns the class count to use.</summary>
    /// <param name="runtimeClasses">The class count of the call.</param>
    /// <returns>A constant K for generated kernels, otherwise <paramref name="runtimeClasses"/>.</returns>
    static abstract int Resolve(int runtimeClasses);
}

/// <summary>The class count as given at run time.</summary>
internal readonly struct RuntimeClassCount : IClassCount
{
    public static int Resolve(int runtimeClasses) => runtimeClasses;
}

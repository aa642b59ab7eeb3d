namespace LsrGen;

/// <summary>
/// How per-row losses are combined into one value, as PyTorch's <c>reduction</c> argument.
/// PyTorch's <c>"none"</c> is the overloads that write one loss per row into a <c>losses</c> span.
/// </summary>
public enum Reduction
{
    /// <summary>
    /// The sum of the per-row losses divided by the sum of the target weights of the non-ignored rows
    /// (the count of non-ignored rows without weights; the row count for probability targets).
    /// An empty or fully ignored batch gives NaN, as in PyTorch.
    /// </summary>
    Mean = 0,

    /// <summary>The sum of the per-row losses.</summary>
    Sum = 1,
}

using System.ComponentModel;

namespace LsrGen.Contract;

/// <summary>
/// What a block's loss feeds, as a type argument of the generated forward blocks: only the call's sum
/// (<see cref="ReducedLoss"/>), or per-row losses and log-sum-exp (<see cref="PerRowLosses"/>), which keep a tiny loss's
/// relative accuracy by also summing the exps off the row max. The JIT compiles each its own code, so the reduced loss
/// pays nothing for that accuracy.
/// For generated code only: not intended to be used directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ILossOutput
{
}

/// <summary>Only the sum of a call's losses. For generated code only.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct ReducedLoss : ILossOutput
{
}

/// <summary>Per-row losses and log-sum-exp. For generated code only.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct PerRowLosses : ILossOutput
{
}

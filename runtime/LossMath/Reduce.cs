using System.Numerics;

namespace LsrGen.LossMath;

/// <summary>The reductions of a summed loss, as PyTorch defines them.</summary>
internal static class Reduce
{
    /// <summary>Class-index targets: the sum, or the mean over the summed target weight D (NaN when D is 0, never +-Inf).</summary>
    public static T ClassIndex<T>(double total, Reduction reduction, double targetWeight)
        where T : IFloatingPointIeee754<T>
        => reduction == Reduction.Sum ? T.CreateTruncating(total)
            : targetWeight == 0 ? T.NaN
            : T.CreateTruncating(total / targetWeight);

    /// <summary>The gradient's factor for class-index targets: 1 for a sum, 1/D for a mean (NaN when D is 0).</summary>
    public static T ClassIndexScale<T>(Reduction reduction, double targetWeight)
        where T : IFloatingPointIeee754<T>
        => reduction == Reduction.Sum ? T.One : targetWeight == 0 ? T.NaN : T.CreateTruncating(1.0 / targetWeight);

    /// <summary>Probability targets: the sum, or the mean over N.</summary>
    public static T Probabilities<T>(double total, Reduction reduction, int rows)
        where T : IFloatingPointIeee754<T>
        => reduction == Reduction.Sum ? T.CreateTruncating(total) : T.CreateTruncating(total / rows);

    /// <summary>The gradient's factor for probability targets: 1 for a sum, 1/N for a mean.</summary>
    public static T ProbabilityScale<T>(Reduction reduction, int rows)
        where T : IFloatingPointIeee754<T>
        => reduction == Reduction.Sum ? T.One : T.One / T.CreateTruncating(rows);
}

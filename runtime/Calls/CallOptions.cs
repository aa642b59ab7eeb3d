using System.Numerics;

namespace LsrGen.Calls;

/// <summary>The scalars of a call that <see cref="RowArgs{T}"/> carries beside its memory; what is left out is off.</summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly struct CallOptions<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Initializes a new instance of the <see cref="CallOptions{T}"/> struct with a reduction scale of 1.</summary>
    public CallOptions()
    {
        Scale = T.One;
        Temperature = T.One;
    }

    /// <summary>Gets eps.</summary>
    public T LabelSmoothing { get; init; }

    /// <summary>Gets the ignored target value.</summary>
    public int IgnoreIndex { get; init; }

    /// <summary>Gets the sum of the class weights (K without weights).</summary>
    public T WeightTotal { get; init; }

    /// <summary>Gets the factor of the gradient (1, or 1 / the mean's denominator).</summary>
    public T Scale { get; init; }

    /// <summary>Gets the soft-cap c (0: none).</summary>
    public T Softcap { get; init; }

    /// <summary>Gets the z-loss scale.</summary>
    public T ZLossScale { get; init; }

    /// <summary>Gets the temperature tau (1: none).</summary>
    public T Temperature { get; init; }

    /// <summary>Gets the entropy scale b (0: off).</summary>
    public T EntropyScale { get; init; }

    /// <summary>Gets how the rows lie in memory (dense by default).</summary>
    public RowLayout Layout { get; init; }
}

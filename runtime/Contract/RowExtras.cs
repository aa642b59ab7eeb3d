using System.Numerics;

namespace LsrGen.Contract;

/// <summary>
/// What a loss call may add to section 7's arguments: a temperature, an entropy bonus, and the per-row outputs and
/// inputs that come with them (each row's entropy, a fused pass's per-row losses, Backward's entropy gradients). Only
/// the row loops' option pass reads them (<see cref="RowArgs{T}.HasExtras"/>, the routing table's
/// <see cref="RoutingTable.Choose"/>); a null pointer is an output not asked for.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
internal readonly unsafe struct RowExtras<T>
    where T : unmanaged
{
    /// <summary>Gets the per-row losses of a fused pass (a forward pass's are its output), or null.</summary>
    public T* Losses { get; init; }

    /// <summary>Gets each row's entropy H, or null.</summary>
    public T* Entropy { get; init; }

    /// <summary>Gets Backward's dL/dH per row, or null.</summary>
    public T* EntropyGradients { get; init; }

    /// <summary>Gets tau (1 when <see cref="Tempered"/> is false).</summary>
    public T Temperature { get; init; }

    /// <summary>Gets 1 / tau (1 when <see cref="Tempered"/> is false).</summary>
    public T InverseTemperature { get; init; }

    /// <summary>Gets a value indicating whether the temperature differs from 1.</summary>
    public bool Tempered { get; init; }

    /// <summary>Gets the entropy scale b (0: off).</summary>
    public T EntropyScale { get; init; }

    /// <summary>Gets a value indicating whether the entropy scale is not 0.</summary>
    public bool HasEntropyScale { get; init; }

    /// <summary>Gets a value indicating whether anything here is in use.</summary>
    public bool Any => Tempered || HasEntropyScale || Losses != null || Entropy != null || EntropyGradients != null;

    /// <summary>The same extras for rows starting at <paramref name="firstRow"/>: the per-row pointers move there.</summary>
    /// <param name="firstRow">The first row.</param>
    /// <returns>The moved extras.</returns>
    public RowExtras<T> From(int firstRow) => this with
    {
        Losses = Losses == null ? null : Losses + firstRow,
        Entropy = Entropy == null ? null : Entropy + firstRow,
        EntropyGradients = EntropyGradients == null ? null : EntropyGradients + firstRow,
    };

    /// <summary>The extras of a call's options and per-row memory.</summary>
    /// <typeparam name="TF">float or double, T itself.</typeparam>
    /// <param name="temperature">tau, positive.</param>
    /// <param name="entropyScale">b, at least 0.</param>
    /// <param name="losses">A fused pass's per-row losses, or null.</param>
    /// <param name="entropy">The per-row entropy, or null.</param>
    /// <param name="entropyGradients">Backward's entropy gradients, or null.</param>
    /// <returns>The extras.</returns>
    public static RowExtras<T> Of<TF>(TF temperature, TF entropyScale, T* losses, T* entropy, T* entropyGradients)
        where TF : unmanaged, IFloatingPointIeee754<TF>
    {
        bool tempered = temperature != TF.One && temperature != TF.Zero;
        TF inverse = tempered ? TF.One / temperature : TF.One;
        return new()
        {
            Losses = losses,
            Entropy = entropy,
            EntropyGradients = entropyGradients,
            Temperature = System.Runtime.CompilerServices.Unsafe.BitCast<TF, T>(tempered ? temperature : TF.One),
            InverseTemperature = System.Runtime.CompilerServices.Unsafe.BitCast<TF, T>(inverse),
            Tempered = tempered,
            EntropyScale = System.Runtime.CompilerServices.Unsafe.BitCast<TF, T>(entropyScale),
            HasEntropyScale = entropyScale != TF.Zero,
        };
    }
}

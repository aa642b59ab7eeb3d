using System.ComponentModel;
using System.Numerics;

namespace LsrGen.Contract;

/// <summary>
/// The scalars of one block-kernel call, computed once per call: smoothing, weights (ones when the call has none, so
/// the class work needs no branch on them: a product with 1 is exact), the ignore index and the gradient's scale.
/// For generated code only: not intended to be used directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct BlockArgs<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T* _weight;

    internal BlockArgs(in RowArgs<T> args, int classes, T* ones)
    {
        IsCapped = args.Softcap != T.Zero;
        Cap = new LogitCap(double.CreateTruncating(args.Softcap));
        ZLossScale = args.ZLossScale;
        _weight = args.HasWeight ? (T*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref args.Weight) : ones;
        HasWeight = args.HasWeight;
        LabelSmoothing = args.LabelSmoothing;
        Keep = Smoothing.Keep(args.LabelSmoothing);
        Spread = Smoothing.Spread(args.LabelSmoothing, classes);
        WeightTotal = args.WeightTotal;
        Scale = args.Scale;
        IgnoreIndex = args.IgnoreIndex;
    }

    /// <summary>Gets a value indicating whether the call has class weights (else every weight is 1).</summary>
    public bool HasWeight { get; }

    /// <summary>Gets the label smoothing eps.</summary>
    public T LabelSmoothing { get; }

    /// <summary>Gets 1 - eps.</summary>
    public T Keep { get; }

    /// <summary>Gets eps / K.</summary>
    public T Spread { get; }

    /// <summary>Gets the sum of the class weights (K without weights).</summary>
    public T WeightTotal { get; }

    /// <summary>Gets the factor every gradient element is multiplied by.</summary>
    public T Scale { get; }

    /// <summary>Gets the target value of an ignored row.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Gets a value indicating whether the loss sees soft-capped logits z = c tanh(x / c).</summary>
    public bool IsCapped { get; }

    /// <summary>Gets the soft-cap (Backward applies it rounded from double, the other operations in T).</summary>
    public LogitCap Cap { get; }

    /// <summary>Gets the z-loss scale a (0 = off).</summary>
    public T ZLossScale { get; }

    /// <summary>Returns class <paramref name="classIndex"/>'s weight (1 without weights).</summary>
    /// <param name="classIndex">The class.</param>
    /// <returns>Its weight.</returns>
    public T Weight(int classIndex) => _weight[classIndex];

    /// <summary>Gets the first class weight (ones without weights), for gathers.</summary>
    internal T* Weights => _weight;
}

using System;
using System.Numerics;

namespace LsrGen;

/// <summary>
/// Label-smoothing cross-entropy configured once for a training loop, in the style of <c>nn.CrossEntropyLoss</c>:
/// reduced and per-row forward passes (each row's log-sum-exp included), a fused loss and gradient, and a backward
/// pass from the saved log-sum-exp with one upstream gradient per row. Adds z-loss (<c>ZLossScale * lse^2</c> per row,
/// PaLM), logit soft-capping (<c>Softcap * tanh(x / Softcap)</c>, Gemma 2), a temperature and an entropy bonus (PPO's
/// <c>ent_coef</c>), and optional per-row outputs: losses, log-sum-exps, entropies and predicted classes. Every option
/// combines with every other, for class-index and probability targets.
/// </summary>
/// <remarks>
/// Immutable once built and safe to share between threads; no member allocates below the parallel threshold. The
/// options are validated by their init accessors, so calls do not check them again. When a
/// <see cref="GeneratedLsrKernelsAttribute"/> kernel for <see cref="Classes"/> is loaded, calls run it (looked up at
/// each call, as <see cref="LsrKernels"/> does).
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed partial class CrossEntropyLoss<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Reduction _reduction;
    private readonly T _labelSmoothing;
    private readonly T _zLossScale;
    private readonly T _softcap;
    private readonly T _temperature = T.One;
    private readonly T _entropyScale;
    private readonly T[]? _weight;
    private readonly T _weightTotal;

    /// <summary>Initializes a new instance of the <see cref="CrossEntropyLoss{T}"/> class for <paramref name="classes"/> classes.</summary>
    /// <param name="classes">The class count K, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classes"/> is less than 1.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither float nor double.</exception>
    public CrossEntropyLoss(int classes)
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            throw new NotSupportedException($"CrossEntropyLoss<{typeof(T).Name}> is not supported; use float or double.");
        }

        if (classes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"classes must be at least 1, got {classes}.");
        }

        Classes = classes;
        IgnoreIndex = -100;
        _weightTotal = T.CreateTruncating(classes);
    }

    /// <summary>Gets the class count K.</summary>
    public int Classes { get; }

    /// <summary>Gets how <see cref="Forward(ReadOnlySpan{T}, ReadOnlySpan{int})"/> and <c>ForwardBackward</c> reduce: <see cref="Reduction.Mean"/> (default) or <see cref="Reduction.Sum"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not Mean or Sum.</exception>
    public Reduction Reduction
    {
        get => _reduction;
        init
        {
            if (value is not (Reduction.Mean or Reduction.Sum))
            {
                throw new ArgumentOutOfRangeException(nameof(Reduction), value, "Reduction must be Reduction.Mean or Reduction.Sum.");
            }

            _reduction = value;
        }
    }

    /// <summary>Gets the label smoothing eps in [0, 1] (PyTorch's <c>label_smoothing</c>); default 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN or outside [0, 1].</exception>
    public T LabelSmoothing
    {
        get => _labelSmoothing;
        init
        {
            if (!(value >= T.Zero && value <= T.One))
            {
                throw new ArgumentOutOfRangeException(nameof(LabelSmoothing), value, $"LabelSmoothing must lie in [0, 1], got {value}.");
            }

            _labelSmoothing = value;
        }
    }

    /// <summary>Gets the target value of rows that contribute nothing (PyTorch's <c>ignore_index</c>, default -100; class-index targets only).</summary>
    public int IgnoreIndex { get; init; }

    /// <summary>Gets the K class weights (PyTorch's <c>weight</c>); empty means none. The accessor validates and copies them.</summary>
    /// <exception cref="ArgumentException">The length is not K, or a weight is negative, NaN or infinite.</exception>
    public ReadOnlyMemory<T> Weight
    {
        get => _weight;
        init
        {
            if (value.IsEmpty)
            {
                _weight = null;
                _weightTotal = T.CreateTruncating(Classes);
                return;
            }

            if (value.Length != Classes)
            {
                throw new ArgumentException($"Weight must hold one entry per class: expected {Classes}, got {value.Length}.", nameof(Weight));
            }

            ReadOnlySpan<T> weight = value.Span;
            double total = 0;
            for (int k = 0; k < weight.Length; k++)
            {
                if (!T.IsFinite(weight[k]) || weight[k] < T.Zero)
                {
                    throw new ArgumentException($"Weight[{k}] is {weight[k]}; class weights must be finite and non-negative.", nameof(Weight));
                }

                total += double.CreateTruncating(weight[k]);
            }

            _weight = weight.ToArray();
            _weightTotal = T.CreateTruncating(total);
        }
    }

    /// <summary>Gets the z-loss scale a: each counted row adds <c>a * w[t] * lse^2</c> (<c>a * lse^2</c> for probability targets); 0 (default) turns it off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public T ZLossScale
    {
        get => _zLossScale;
        init => _zLossScale = Check.FiniteNonNegative(value, nameof(ZLossScale), "finite and non-negative");
    }

    /// <summary>Gets the logit soft-cap c: the loss sees <c>c * tanh(x / c)</c>; 0 (default) turns it off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public T Softcap
    {
        get => _softcap;
        init => _softcap = Check.FiniteNonNegative(value, nameof(Softcap), "finite and positive, or 0 for none");
    }

    /// <summary>
    /// Gets the temperature tau: the loss sees <c>cap(x) / tau</c> (the soft-cap first, then the temperature, as a sampler
    /// applies it); default 1 (none).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive, or is NaN or infinite.</exception>
    public T Temperature
    {
        get => _temperature;
        init
        {
            if (!(value > T.Zero) || !T.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(Temperature), value, $"Temperature must be finite and positive, got {value}.");
            }

            _temperature = value;
        }
    }

    /// <summary>
    /// Gets the entropy scale b: each counted row's loss gets <c>-b * w[t] * H</c> (<c>-b * H</c> for probability targets),
    /// H the entropy of softmax(z), PPO's <c>ent_coef</c> bonus; 0 (default) turns it off. A loss may then be negative.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, NaN or infinite.</exception>
    public T EntropyScale
    {
        get => _entropyScale;
        init => _entropyScale = Check.FiniteNonNegative(value, nameof(EntropyScale), "finite and non-negative");
    }

    /// <summary>Gets a value indicating whether a generated kernel for <see cref="Classes"/> is loaded and serves this loss now.</summary>
    public bool IsSpecialized => LsrKernelRegistry.Find(Classes) is not null;

    /// <summary>
    /// The mean reduction's denominator D for these targets: the summed weight of the non-ignored targets (their count
    /// without weights). Divide per-row <c>lossGradients</c> by it to take <see cref="Backward(ReadOnlySpan{T}, ReadOnlySpan{int}, ReadOnlySpan{T}, ReadOnlySpan{T}, Span{T}, ReadOnlySpan{T})"/> of a mean.
    /// </summary>
    /// <param name="targets">N class indices in [0, K), or <see cref="IgnoreIndex"/>.</param>
    /// <returns>D (0 when every row is ignored).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A target is out of range.</exception>
    public T MeanDenominator(ReadOnlySpan<int> targets) => T.CreateTruncating(Check.Targets<T>(targets, Classes, IgnoreIndex, _weight));

    // This loss's scalars for the kernels, with the call's reduction scale and row layout.
    private CallOptions<T> Options(T scale, RowLayout layout) => new()
    {
        LabelSmoothing = _labelSmoothing,
        IgnoreIndex = IgnoreIndex,
        WeightTotal = _weightTotal,
        Scale = scale,
        Softcap = _softcap,
        ZLossScale = _zLossScale,
        Temperature = _temperature,
        EntropyScale = _entropyScale,
        Layout = layout,
    };
}

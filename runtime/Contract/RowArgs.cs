using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace LsrGen.Contract;

/// <summary>
/// The validated, pinned arguments of one kernel call, handed to an <see cref="ILsrRowKernel{T}"/> for a range of rows.
/// Every memory accessor returns a reference to row 0; kernels offset it by row * <see cref="Classes"/> (the runtime's
/// row loops by the row strides of a strided call).
/// For generated code only: not intended to be used directly.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly unsafe struct RowArgs<T>
    where T : unmanaged
{
    private readonly T* _logits;
    private readonly T* _output;
    private readonly int* _targets;
    private readonly T* _probabilities;
    private readonly T* _weight;
    private readonly T* _logSumExp;
    private readonly T* _lossGradients;
    private readonly int* _predictions;

    internal RowArgs(
        T* logits, int classes, T* output, int* targets, T* probabilities, T* weight,
        T labelSmoothing, int ignoreIndex, T weightTotal, T scale)
    {
        _logits = logits;
        _output = output;
        _targets = targets;
        _probabilities = probabilities;
        _weight = weight;
        Classes = classes;
        LabelSmoothing = labelSmoothing;
        IgnoreIndex = ignoreIndex;
        WeightTotal = weightTotal;
        Scale = scale;
    }

    internal RowArgs(
        T* logits, int classes, T* output, int* targets, T* probabilities, T* weight,
        T labelSmoothing, int ignoreIndex, T weightTotal, T scale, T softcap, T zLossScale, T* logSumExp, T* lossGradients,
        int* predictions = null)
        : this(logits, classes, output, targets, probabilities, weight, labelSmoothing, ignoreIndex, weightTotal, scale)
    {
        Softcap = softcap;
        ZLossScale = zLossScale;
        _logSumExp = logSumExp;
        _lossGradients = lossGradients;
        _predictions = predictions;
    }

    /// <summary>Gets the first logit of row 0.</summary>
    public ref T Logits => ref Unsafe.AsRef<T>(_logits);

    /// <summary>Gets the first element of the output (destination, gradient, input gradient, or one loss per row).</summary>
    public ref T Output => ref Unsafe.AsRef<T>(_output);

    /// <summary>Gets a value indicating whether an output was given (per-row losses are optional).</summary>
    public bool HasOutput => _output != null;

    /// <summary>Gets the first class-index target.</summary>
    public ref int Targets => ref Unsafe.AsRef<int>(_targets);

    /// <summary>Gets the first target probability of row 0 (a softmax backward's first output gradient).</summary>
    public ref T Probabilities => ref Unsafe.AsRef<T>(_probabilities);

    /// <summary>Gets the first class weight; only valid when <see cref="HasWeight"/>.</summary>
    public ref T Weight => ref Unsafe.AsRef<T>(_weight);

    /// <summary>Gets a value indicating whether class weights were given.</summary>
    public bool HasWeight => _weight != null;

    /// <summary>Gets the class count K.</summary>
    public int Classes { get; }

    /// <summary>Gets the label smoothing epsilon, in [0, 1].</summary>
    public T LabelSmoothing { get; }

    /// <summary>Gets the target value that marks an ignored row.</summary>
    public int IgnoreIndex { get; }

    /// <summary>Gets the sum of all class weights (K without weights).</summary>
    public T WeightTotal { get; }

    /// <summary>Gets the factor every gradient element is multiplied by (1, 1/D, 1/N, or NaN when D is 0).</summary>
    public T Scale { get; }

    /// <summary>Gets the logit soft-cap c (z = c tanh(x / c)); 0 when off.</summary>
    public T Softcap { get; }

    /// <summary>Gets the z-loss scale a (a w_t lse^2 per row); 0 when off.</summary>
    public T ZLossScale { get; }

    /// <summary>Gets each row's log-sum-exp: written by a per-row forward when <see cref="HasLogSumExp"/>, read by a backward.</summary>
    public ref T LogSumExp => ref Unsafe.AsRef<T>(_logSumExp);

    /// <summary>Gets a value indicating whether the call has per-row log-sum-exp values.</summary>
    public bool HasLogSumExp => _logSumExp != null;

    /// <summary>Gets each row's upstream gradient (a backward's lossGradients).</summary>
    public ref T LossGradients => ref Unsafe.AsRef<T>(_lossGradients);

    /// <summary>Gets each row's predicted class (ArgMax's destination).</summary>
    public ref int Predictions => ref Unsafe.AsRef<int>(_predictions);

    /// <summary>Gets a value indicating whether the call writes per-row predictions.</summary>
    public bool HasPredictions => _predictions != null;

    /// <summary>
    /// Gets how the matrices lie in memory when they are not K-dense rows of <typeparamref name="T"/> (rows with a
    /// stride, or Half elements): <see cref="RowStaging"/> copies such rows into dense ones for block kernels and Half;
    /// only the row loops see strides, and read and write rows at them.
    /// </summary>
    internal RowLayout Layout { get; init; }

    /// <summary>Gets the temperature, the entropy bonus and their per-row memory (<see cref="RowExtras{T}"/>).</summary>
    internal RowExtras<T> Extras { get; init; }

    /// <summary>
    /// Whether the call asks <paramref name="operation"/> for more than section 7's loss: a temperature, an entropy bonus
    /// or entropy gradients, or per-row outputs beyond a forward pass's losses and log-sum-exps (entropy, predictions,
    /// a fused pass's losses or log-sum-exps). Only the row loops' option pass serves such calls.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <returns>True when an extra is in use.</returns>
    internal bool HasExtras(RowOperation operation)
        => Extras.Any
            || (operation.ReturnsLoss() && _predictions != null)
            || (operation.WritesGradient() && !operation.ReadsUpstream() && _logSumExp != null);

    /// <summary>Gets a value indicating whether <see cref="RowDriver"/> must stage rows before a kernel runs.</summary>
    internal bool IsStaged => Layout.IsStaged;

    /// <summary>Gets the distance between logit rows: K, or the row stride the row loops honour (<see cref="RowStaging"/>).</summary>
    internal nint LogitRowStride => Layout.LogitStride == 0 ? Classes : Layout.LogitStride;

    /// <summary>Gets the distance between rows of a matrix output.</summary>
    internal nint OutputRowStride => Layout.OutputStride == 0 ? Classes : Layout.OutputStride;

    /// <summary>Gets the distance between rows of target probabilities.</summary>
    internal nint ProbabilityRowStride => Layout.ProbabilityStride == 0 ? Classes : Layout.ProbabilityStride;

    /// <summary>
    /// The same call over rows [firstRow, firstRow + rows) as dense rows at <paramref name="logits"/> and friends:
    /// per-row pointers move to <paramref name="firstRow"/>, so the kernel runs from row 0.
    /// </summary>
    internal RowArgs<T> Restaged(int firstRow, T* logits, T* probabilities, T* matrixOutput)
        => new(
            logits, Classes, matrixOutput != null ? matrixOutput : _output == null ? null : _output + firstRow,
            _targets == null ? null : _targets + firstRow, probabilities, _weight, LabelSmoothing, IgnoreIndex, WeightTotal, Scale,
            Softcap, ZLossScale, _logSumExp == null ? null : _logSumExp + firstRow, _lossGradients == null ? null : _lossGradients + firstRow,
            _predictions == null ? null : _predictions + firstRow)
        {
            Extras = Extras.From(firstRow),
        };

    internal void* RawLogits => _logits;

    internal void* RawOutput => _output;

    internal void* RawProbabilities => _probabilities;
}

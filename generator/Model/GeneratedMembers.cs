namespace LsrGen.Generator.Model;

/// <summary>
/// The members the generator adds to a user's type, named once: the emitter writes them and the parser reports
/// LSR0007 when the type already declares one.
/// </summary>
internal static class GeneratedMembers
{
    public const string Classes = nameof(Classes);
    public const string LogSoftmax = nameof(LogSoftmax);
    public const string Softmax = nameof(Softmax);
    public const string GatherTargets = nameof(GatherTargets);
    public const string CrossEntropy = nameof(CrossEntropy);
    public const string CrossEntropyWithGradient = nameof(CrossEntropyWithGradient);
    public const string LogSoftmaxBackward = nameof(LogSoftmaxBackward);
    public const string SoftmaxBackward = nameof(SoftmaxBackward);
    public const string ArgMax = nameof(ArgMax);

    public static readonly string[] All =
        [Classes, LogSoftmax, Softmax, GatherTargets, CrossEntropy, CrossEntropyWithGradient, LogSoftmaxBackward, SoftmaxBackward, ArgMax];
}

using System;

namespace LsrGen;

/// <summary>
/// Asks the LsrGen source generator to emit kernels specialised for exactly <see cref="Classes"/> classes
/// into the <c>partial</c> class or struct it decorates, and to route <see cref="LsrKernels"/> calls with that
/// class count to them.
/// </summary>
/// <example>
/// <code>
/// [GeneratedLsrKernels(10)]
/// public static partial class Cifar10;
///
/// float loss = Cifar10.CrossEntropy(logits, targets, labelSmoothing: 0.1f);
/// </code>
/// </example>
/// <param name="classes">The class count K, from 1 to 1,048,576.</param>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class GeneratedLsrKernelsAttribute(int classes) : Attribute
{
    /// <summary>Gets the class count the generated kernels are specialised for.</summary>
    public int Classes { get; } = classes;
}

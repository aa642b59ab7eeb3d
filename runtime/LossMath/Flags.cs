namespace LsrGen.LossMath;

/// <summary>
/// A choice fixed when the JIT compiles a method (<see cref="On"/> or <see cref="Off"/>): passed as a type argument, it
/// leaves no branch in a row's loops, also where the method is too large to inline.
/// </summary>
internal interface IFlag
{
    /// <summary>Gets a value indicating whether the choice is made.</summary>
    static abstract bool IsSet { get; }
}

/// <summary>The choice is made.</summary>
internal readonly struct On : IFlag
{
    /// <inheritdoc/>
    public static bool IsSet => true;
}

/// <summary>The choice is not made.</summary>
internal readonly struct Off : IFlag
{
    /// <inheritdoc/>
    public static bool IsSet => false;
}

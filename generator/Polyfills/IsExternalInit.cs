namespace System.Runtime.CompilerServices;

// netstandard2.0 lacks it; records need it.
internal static class IsExternalInit;

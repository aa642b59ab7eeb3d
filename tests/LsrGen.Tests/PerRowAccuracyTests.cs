using System;
using Xunit;

namespace LsrGen.Tests;

/// <summary>Dominant-target rows keep their tiny losses' relative accuracy (runtime path).</summary>
public sealed class PerRowAccuracyTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(32000)]
    public void Tiny_losses_keep_relative_accuracy(int classes) => LsrGen.Tests.PerRowAccuracySuite.Check(classes, Environment.TickCount);
}

using System;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>Dominant-target rows keep their tiny losses' relative accuracy (generated kernels, routed).</summary>
public sealed class PerRowAccuracyTests
{
    public static TheoryData<int> ClassCounts => new() { 3, 10, 1000, 32000 };

    [Theory]
    [MemberData(nameof(ClassCounts))]
    public void Tiny_losses_keep_relative_accuracy(int classes) => LsrGen.Tests.PerRowAccuracySuite.Check(classes, Environment.TickCount);
}

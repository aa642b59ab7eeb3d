using System.Collections.Generic;
using Xunit;

namespace LsrGen.Tests;

/// <summary>The runtime's kernels on soft-capped logits far past the cap (<see cref="SoftcapRegionSuite"/>).</summary>
public sealed class SoftcapRegionTests
{
    public static IEnumerable<object[]> Indices => SoftcapRegionSuite.Indices;

    [Theory]
    [MemberData(nameof(Indices))]
    public void Far_past_the_cap_every_member_matches_the_oracle(int index) => SoftcapRegionSuite.Check(index, expectSpecialized: false);

    [Fact]
    public void The_cases_cover_every_pair_of_factor_values() => Assert.InRange(SoftcapRegionSuite.Cases.Count, 40, 80);
}

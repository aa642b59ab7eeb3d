using System.Collections.Generic;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>Generated kernels (every K of the suite is declared here) on soft-capped logits far past the cap.</summary>
public sealed class SoftcapRegionTests
{
    public static IEnumerable<object[]> Indices => SoftcapRegionSuite.Indices;

    [Theory]
    [MemberData(nameof(Indices))]
    public void Far_past_the_cap_every_member_matches_the_oracle(int index) => SoftcapRegionSuite.Check(index, expectSpecialized: true);
}

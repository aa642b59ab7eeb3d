using System.Collections.Generic;
using Xunit;

namespace LsrGen.Tests;

public class RandomizedTests
{
    private static readonly int[] s_classes = [1, 2, 3, 5, 8, 10, 16, 17, 31, 50, 64, 100, 112, 113, 200, 224, 225, 1000, 4099, 32000];
    private static readonly int[] s_rows = [0, 1, 7, 64];

    public static IEnumerable<object[]> Shapes()
    {
        foreach (int k in s_classes)
        {
            foreach (int n in s_rows)
            {
                yield return [k, n];
            }
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_matches_oracle(int classes, int rows)
        => CorrectnessSuite<float>.RandomMatrix(RuntimeFloatApi.Instance, classes, rows, seedSalt: 11);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_matches_oracle(int classes, int rows)
        => CorrectnessSuite<double>.RandomMatrix(RuntimeDoubleApi.Instance, classes, rows, seedSalt: 13);
}

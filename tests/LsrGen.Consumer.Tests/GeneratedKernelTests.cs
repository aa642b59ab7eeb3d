using System;
using System.Collections.Generic;
using System.Linq;
using LsrGen.Tests;
using Xunit;

namespace LsrGen.Consumer.Tests;

/// <summary>The runtime's correctness suite, run against the classes this project's generator produced.</summary>
public class GeneratedKernelTests
{
    private static readonly Type[] s_types = [typeof(Seed3), typeof(Cifar10), typeof(ImageNet), Outer.Nested17Type];

    public static IEnumerable<object[]> Shapes()
    {
        foreach (Type type in s_types)
        {
            // 0 and 1 rows, a tail shorter than a block, whole blocks, 16 + 8 + 1 (Vector512 block, Vector256 block, scalar row).
            foreach (int rows in new[] { 0, 1, 7, 16, 25, 64, 37 })
            {
                yield return [type.Name, rows];
            }
        }
    }

    private static Type Find(string name) => s_types.Single(t => t.Name == name);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_matches_oracle(string type, int rows)
    {
        var api = new GeneratedApi<float>(Find(type));
        CorrectnessSuite<float>.RandomMatrix(api, api.Classes, rows, seedSalt: 21);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_matches_oracle(string type, int rows)
    {
        var api = new GeneratedApi<double>(Find(type));
        CorrectnessSuite<double>.RandomMatrix(api, api.Classes, rows, seedSalt: 23);
    }

    public static IEnumerable<object[]> GoldenIds() => GoldenFile.Cases
        .Where(c => s_types.Any(t => new GeneratedApi<float>(t).Classes == c.K))
        .Select(c => new object[] { c.Id });

    [Theory]
    [MemberData(nameof(GoldenIds))]
    public void Golden_cases_match_for_generated_kernels(string id)
    {
        GoldenCase c = GoldenFile.Cases.Single(x => x.Id == id);
        Type type = s_types.Single(t => new GeneratedApi<float>(t).Classes == c.K);
        GoldenSuite.Check(new GeneratedApi<float>(type), id);
        GoldenSuite.Check(new GeneratedApi<double>(type), id);
    }

    public static TheoryData<string> DeclaredClasses => new() { nameof(Seed3), nameof(Cifar10), nameof(ImageNet) };

    [Theory]
    [MemberData(nameof(DeclaredClasses))]
    public void Errors_follow_the_contract(string type)
    {
        var floats = new GeneratedApi<float>(Find(type));
        ErrorSuite<float>.All(floats, floats.Classes, classesIsParameter: false);
        ErrorSuite<float>.Overlaps(floats, floats.Classes);
        var doubles = new GeneratedApi<double>(Find(type));
        ErrorSuite<double>.All(doubles, doubles.Classes, classesIsParameter: false);
        ErrorSuite<double>.Overlaps(doubles, doubles.Classes);
    }

    [Fact]
    public void Seed_values_from_the_generated_class()
    {
        float[] logits = [4, 5, 10, 1, 5, 4, 1, 15, 4];
        int[] targets = [2, 1, 1];
        Tolerance.Close(0.1119182196450031, Seed3.CrossEntropy(logits, targets), isFloat: true, Quantity.Other, "Seed3 eps=0");
        Tolerance.Close(0.11647377520055868, Seed3.CrossEntropy(logits, targets, labelSmoothing: 0.001f), isFloat: true, Quantity.Other, "Seed3 eps=0.001");
        Assert.Equal(3, Seed3.Classes);
    }

    [Fact]
    public void Rows_of_another_width_say_that_the_class_count_may_not_fit()
    {
        // Four rows of 5 classes given to the K = 10 class: its 20 values are read as 2 rows of 10.
        float[] logits = new float[20];
        int[] targets = [0, 1, 2, 3];
        var error = Assert.Throws<ArgumentException>(() => Cifar10.CrossEntropy(logits, targets));
        Assert.Equal("targets", error.ParamName);
        Assert.Contains("but its length is 4. The logits' 20 values are 2 rows of K = 10 classes; if the rows are not 10 wide", error.Message);
        Assert.Equal(error.Message, Assert.Throws<ArgumentException>(() => Cifar10.CrossEntropyWithGradient(logits, targets, new float[20])).Message);
    }
}

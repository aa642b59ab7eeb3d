using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Plans in-register transposes with two-source permutes. A block of L rows x K classes is K vectors of L lanes;
/// column k, lane r is element r*K + k of the block. Each gathered vector is built by a chain of permutes, each
/// adding the lanes of one more source vector, so the index vectors are constants known at generation time.
/// </summary>
internal static class TransposePlan
{
    /// <summary>Loaded row-major vectors v* into columns c* (c_k[r] = block[r*K + k]).</summary>
    public static void ToColumns(CodeWriter w, ElementType t, int classes, string source, string target)
    {
        for (int k = 0; k < classes; k++)
        {
            int column = k;
            Gather(w, t, target + k.ToString(CultureInfo.InvariantCulture), lane =>
            {
                int flat = (lane * classes) + column;
                return (source + (flat / t.Lanes).ToString(CultureInfo.InvariantCulture), flat % t.Lanes);
            });
        }
    }

    /// <summary>Columns back to row-major vectors, stored at <paramref name="destination"/> + offset.</summary>
    public static void FromColumnsAndStore(CodeWriter w, ElementType t, int classes, string columns, string destination)
    {
        for (int j = 0; j < classes; j++)
        {
            int vector = j;
            string name = "o" + j.ToString(CultureInfo.InvariantCulture);
            Gather(w, t, name, lane =>
            {
                int flat = (vector * t.Lanes) + lane;
                return (columns + (flat % classes).ToString(CultureInfo.InvariantCulture), flat / classes);
            }, declare: true);
            w.Line(t.V + ".StoreUnsafe(" + name + ", ref " + destination + ", b + " + (j * t.Lanes).ToString(CultureInfo.InvariantCulture) + ");");
        }
    }

    private static void Gather(CodeWriter w, ElementType t, string target, System.Func<int, (string Source, int Lane)> map, bool declare = true)
    {
        var lanes = Enumerable.Range(0, t.Lanes).Select(map).ToArray();
        var sources = new List<string>();
        foreach (var (source, _) in lanes)
        {
            if (!sources.Contains(source))
            {
                sources.Add(source);
            }
        }

        string decl = declare ? "var " : string.Empty;
        if (!t.TwoSourcePermute)
        {
            // AVX2: permute each source on its own, then blend its lanes in with a constant mask.
            for (int s = 0; s < sources.Count; s++)
            {
                int[] index = lanes.Select(l => l.Source == sources[s] ? l.Lane : 0).ToArray();
                string permuted = SinglePermute(t, sources[s], index);
                if (s == 0)
                {
                    w.Line(decl + target + " = " + permuted + ";");
                    continue;
                }

                string mask = t.V + "." + t.AsMask + "(" + t.V + ".Create(" + string.Join(", ", lanes.Select(l => (l.Source == sources[s] ? "-1" : "0") + t.IndexSuffix)) + "))";
                w.Line(target + " = " + t.V + ".ConditionalSelect(" + mask + ", " + permuted + ", " + target + ");");
            }

            return;
        }

        if (sources.Count == 1)
        {
            bool identity = lanes.Select((l, i) => l.Lane == i).All(x => x);
            w.Line(decl + target + " = " + (identity ? sources[0] : t.Permute + "(" + sources[0] + ", " + Index(t, lanes.Select(l => l.Lane)) + ", " + sources[0] + ")") + ";");
            return;
        }

        var filled = new bool[t.Lanes];
        int[] first = new int[t.Lanes];
        for (int r = 0; r < t.Lanes; r++)
        {
            first[r] = lanes[r].Source == sources[0] ? lanes[r].Lane : lanes[r].Source == sources[1] ? t.Lanes + lanes[r].Lane : 0;
            filled[r] = lanes[r].Source == sources[0] || lanes[r].Source == sources[1];
        }

        w.Line(decl + target + " = " + t.Permute + "(" + sources[0] + ", " + Index(t, first) + ", " + sources[1] + ");");
        for (int s = 2; s < sources.Count; s++)
        {
            int[] next = new int[t.Lanes];
            for (int r = 0; r < t.Lanes; r++)
            {
                next[r] = !filled[r] && lanes[r].Source == sources[s] ? t.Lanes + lanes[r].Lane : r;
                filled[r] |= lanes[r].Source == sources[s];
            }

            w.Line(target + " = " + t.Permute + "(" + target + ", " + Index(t, next) + ", " + sources[s] + ");");
        }
    }

    // AVX2 has no 64-bit variable permute: a double lane l moves as the float pair (2l, 2l + 1).
    private static string SinglePermute(ElementType t, string source, int[] index)
    {
        if (index.Select((l, i) => l == i).All(x => x))
        {
            return source;
        }

        if (t.IsFloat)
        {
            return t.Permute + "(" + source + ", V256.Create(" + string.Join(", ", index.Select(v => v.ToString(CultureInfo.InvariantCulture))) + "))";
        }

        string pairs = string.Join(", ", index.SelectMany(v => new[] { 2 * v, (2 * v) + 1 }).Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return "V256.AsDouble(" + t.Permute + "(V256.AsSingle(" + source + "), V256.Create(" + pairs + ")))";
    }

    private static string Index(ElementType t, IEnumerable<int> values)
        => t.V + ".Create(" + string.Join(", ", values.Select(v => v.ToString(CultureInfo.InvariantCulture) + t.IndexSuffix)) + ")";
}

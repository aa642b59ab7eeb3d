using System.Collections.Generic;
using System.Linq;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Writes, for one width, the statements that move a block of L rows x K classes between memory (row-major) and K
/// class vectors (class k, lane r = element r*K + k). Each vector is gathered by a chain of permutes, each adding the
/// lanes of one more source vector, with index vectors computed here, so the JIT sees constants.
/// </summary>
internal static class TransposeEmitter
{
    /// <summary>Loads the block at <c>x</c> into <c>c0</c>..<c>c{K-1}</c> (out parameters of type TV).</summary>
    public static void ToColumns(IndentedWriter w, BlockWidth t, int classes)
    {
        // Every source is loaded once: a permute with a memory operand reloads it (a 512-bit load is two on Zen 4).
        for (int j = 0; j < classes; j++)
        {
            w.Line($"var s{j} = {t.Vector}.LoadUnsafe(ref x, {j * t.Lanes});");
        }

        for (int k = 0; k < classes; k++)
        {
            int column = k;
            Gather(w, t, $"v{k}", lane =>
            {
                int flat = (lane * classes) + column;
                return ($"s{flat / t.Lanes}", flat % t.Lanes);
            });
            w.Line($"c{k} = (TV)(object)v{k};");
        }
    }

    /// <summary>Stores the class vectors <c>c0</c>..<c>c{K-1}</c> (parameters of type TV) as the block at <c>x</c>.</summary>
    public static void FromColumns(IndentedWriter w, BlockWidth t, int classes)
    {
        for (int k = 0; k < classes; k++)
        {
            w.Line($"var k{k} = ({t.Alias})(object)c{k};");
        }

        for (int j = 0; j < classes; j++)
        {
            int vector = j;
            Gather(w, t, $"r{j}", lane =>
            {
                int flat = (vector * t.Lanes) + lane;
                return ($"k{flat % classes}", flat / classes);
            });
            w.Line($"{t.Vector}.StoreUnsafe(r{j}, ref x, {j * t.Lanes});");
        }
    }

    // Declares `target` as the vector whose lane r is lane map(r).Lane of source map(r).Source.
    private static void Gather(IndentedWriter w, BlockWidth t, string target, System.Func<int, (string Source, int Lane)> map)
    {
        (string Source, int Lane)[] lanes = Enumerable.Range(0, t.Lanes).Select(map).ToArray();
        List<string> sources = lanes.Select(l => l.Source).Distinct().ToList();
        if (!t.TwoSourcePermute)
        {
            // AVX2: permute each source on its own, then blend its lanes in with an immediate mask.
            for (int s = 0; s < sources.Count; s++)
            {
                string source = sources[s];
                string permuted = SinglePermute(t, source, lanes.Select(l => l.Source == source ? l.Lane : 0).ToArray());
                if (s == 0)
                {
                    w.Line($"var {target} = {permuted};");
                    continue;
                }

                int mask = lanes.Select((l, i) => l.Source == source ? 1 << i : 0).Sum();
                w.Line($"{target} = Avx.Blend({target}, {permuted}, {mask});");
            }

            return;
        }

        if (sources.Count == 1)
        {
            bool identity = lanes.Select((l, i) => l.Lane == i).All(x => x);
            w.Line(identity
                ? $"var {target} = {sources[0]};"
                : $"var {target} = Permute({sources[0]}, {Index(t, lanes.Select(l => l.Lane))}, {sources[0]});");
            return;
        }

        var filled = new bool[t.Lanes];
        int[] first = new int[t.Lanes];
        for (int r = 0; r < t.Lanes; r++)
        {
            first[r] = lanes[r].Source == sources[0] ? lanes[r].Lane : lanes[r].Source == sources[1] ? t.Lanes + lanes[r].Lane : 0;
            filled[r] = lanes[r].Source == sources[0] || lanes[r].Source == sources[1];
        }

        w.Line($"var {target} = Permute({sources[0]}, {Index(t, first)}, {sources[1]});");
        for (int s = 2; s < sources.Count; s++)
        {
            int[] next = new int[t.Lanes];
            for (int r = 0; r < t.Lanes; r++)
            {
                next[r] = !filled[r] && lanes[r].Source == sources[s] ? t.Lanes + lanes[r].Lane : r;
                filled[r] |= lanes[r].Source == sources[s];
            }

            w.Line($"{target} = Permute({target}, {Index(t, next)}, {sources[s]});");
        }
    }

    // Doubles move with the immediate four-lane permute; floats with the variable eight-lane one.
    private static string SinglePermute(BlockWidth t, string source, int[] index)
    {
        if (index.Select((l, i) => l == i).All(x => x))
        {
            return source;
        }

        return t.IsFloat
            ? $"Avx2.PermuteVar8x32({source}, V256.Create({string.Join(", ", index)}))"
            : $"Avx2.Permute4x64({source}, {index.Select((l, i) => l << (2 * i)).Sum()})";
    }

    /// <summary>
    /// Permute(a, index, b): the Vector512 two-source permute under a short name, which the transposes repeat hundreds of
    /// times (the generated text is compiled on every build of the user's project).
    /// </summary>
    public static void PermuteHelper(IndentedWriter w, BlockWidth t)
    {
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        w.Line($"private static {t.Alias} Permute({t.Alias} a, {t.IndexType} index, {t.Alias} b) => {t.Permute}(a, index, b);");
    }

    private static string Index(BlockWidth t, IEnumerable<int> values)
        => $"{t.Vector}.Create({string.Join(", ", values.Select(v => v + t.IndexSuffix))})";
}

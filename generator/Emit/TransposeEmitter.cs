using System.Collections.Generic;
using System.Linq;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Writes, for one width, the method that moves a block of L rows x K classes between memory (row-major) and K class
/// vectors (class k, lane r = element r*K + k). Vectors are gathered by chains of permutes, each adding the lanes of one
/// more source vector, with index vectors computed here. A direct gather of a class vector takes about K sources
/// (K - 1 permutes); going through groups of m rows first (vectors holding m rows of L/m classes each) takes fewer for
/// larger K, so each transpose uses the group size whose plan has the fewest permutes.
/// The index vectors are loaded from one static table per method instead of written as Vector.Create(...) literals:
/// a literal costs about four times the IL, and the JIT refuses to inline a transpose whose IL exceeds the inlining
/// budget of the method it is called from (a call then passes every class vector through memory).
/// </summary>
internal static class TransposeEmitter
{
    /// <summary>The name of the method that loads a block of this width into class vectors.</summary>
    public static string ColumnsName(BlockWidth t) => $"Columns{t.Alias}";

    /// <summary>The name of the method that stores class vectors of this width as a block.</summary>
    public static string RowsName(BlockWidth t) => $"Rows{t.Alias}";

    /// <summary>
    /// ColumnsF512(ref float x, out F512 c0, ..., out F512 c{K-1}) and its index table: loads the block at <c>x</c>.
    /// </summary>
    public static void ToColumns(IndentedWriter w, BlockWidth t, int classes)
    {
        string name = ColumnsName(t);
        var table = new IndexTable(t);
        var body = new IndentedWriter();

        // Every source is loaded once: a permute with a memory operand reloads it (a 512-bit load is two on Zen 4).
        for (int j = 0; j < classes; j++)
        {
            body.Line($"var s{j} = {t.Vector}.LoadUnsafe(ref x, {j * t.Lanes});");
        }

        Emit(body, t, table, Cheapest(t, m => ToColumnsPlan(t, classes, m)));
        for (int k = 0; k < classes; k++)
        {
            body.Line($"c{k} = v{k};");
        }

        string outs = string.Join(", ", Enumerable.Range(0, classes).Select(j => $"out {t.Alias} c{j}"));
        Method(w, t, name, $"ref {t.Element} x, {outs}", table, body);
    }

    /// <summary>RowsF512(ref float x, F512 c0, ..., F512 c{K-1}) and its index table: stores the block at <c>x</c>.</summary>
    public static void FromColumns(IndentedWriter w, BlockWidth t, int classes)
    {
        string name = RowsName(t);
        var table = new IndexTable(t);
        var body = new IndentedWriter();
        for (int k = 0; k < classes; k++)
        {
            body.Line($"var k{k} = c{k};");
        }

        Emit(body, t, table, Cheapest(t, m => FromColumnsPlan(t, classes, m)));
        for (int j = 0; j < classes; j++)
        {
            body.Line($"{t.Vector}.StoreUnsafe(r{j}, ref x, {j * t.Lanes});");
        }

        string values = string.Join(", ", Enumerable.Range(0, classes).Select(j => $"{t.Alias} c{j}"));
        Method(w, t, name, $"ref {t.Element} x, {values}", table, body);
    }

    private static void Method(IndentedWriter w, BlockWidth t, string name, string parameters, IndexTable table, IndentedWriter body)
    {
        w.Line();
        w.Line("[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]");
        using (w.Block($"private static void {name}({parameters})"))
        {
            if (table.Count > 0)
            {
                w.Line($"ref {table.Element} ix = ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({name}Index);");
            }

            w.Lines(body);
        }

        if (table.Count > 0)
        {
            w.Line();
            w.Line($"private static global::System.ReadOnlySpan<{table.Element}> {name}Index => [{table.Values}];");
        }
    }

    /// <summary>The permute count of the plans for every group size m (a divisor of L), the cheapest first; ties go to the larger m.</summary>
    internal static Plan Cheapest(BlockWidth t, System.Func<int, Plan> plan)
        => Enumerable.Range(0, 5).Select(e => 1 << e).Where(m => m <= t.Lanes).Reverse()
            .Select(plan).OrderBy(p => p.Permutes(t)).First();

    // Loads -> groups h{g}_{p} (lane q*m + i: row g*m + i, class p*c + q) -> classes v{k} (lane g*m + i from h{g}_{p}).
    // With m = L there is one group: each class vector is gathered straight from the loads.
    internal static Plan ToColumnsPlan(BlockWidth t, int classes, int m)
    {
        int lanes = t.Lanes;
        int c = lanes / m;
        int groups = lanes / m;
        int columnGroups = (classes + c - 1) / c;
        var steps = new List<Step>();
        if (m == lanes)
        {
            for (int k = 0; k < classes; k++)
            {
                int column = k;
                steps.Add(new Step($"v{k}", Lanes(lanes, r => Flat(t, (r * classes) + column, "s"))));
            }

            return new Plan(m, steps);
        }

        for (int p = 0; p < columnGroups; p++)
        {
            for (int g = 0; g < groups; g++)
            {
                int group = g, columnGroup = p;
                steps.Add(new Step($"h{g}_{p}", Lanes(lanes, lane =>
                {
                    int column = (columnGroup * c) + (lane / m);
                    return column < classes ? Flat(t, (((group * m) + (lane % m)) * classes) + column, "s") : default;
                })));
            }

            for (int q = 0; q < c && (p * c) + q < classes; q++)
            {
                int columnGroup = p, offset = q;
                steps.Add(new Step($"v{(p * c) + q}", Lanes(lanes, r => new LaneSource($"h{r / m}_{columnGroup}", (offset * m) + (r % m)))));
            }
        }

        return new Plan(m, steps);
    }

    // Classes k{n} -> groups h{g}_{p} (as above) -> stored vectors r{j}; with m = L straight from the classes.
    internal static Plan FromColumnsPlan(BlockWidth t, int classes, int m)
    {
        int lanes = t.Lanes;
        int c = lanes / m;
        int groups = lanes / m;
        int columnGroups = (classes + c - 1) / c;
        var steps = new List<Step>();
        if (m != lanes)
        {
            for (int p = 0; p < columnGroups; p++)
            {
                for (int g = 0; g < groups; g++)
                {
                    int group = g, columnGroup = p;
                    steps.Add(new Step($"h{g}_{p}", Lanes(lanes, lane =>
                    {
                        int column = (columnGroup * c) + (lane / m);
                        return column < classes ? new LaneSource($"k{column}", (group * m) + (lane % m)) : default;
                    })));
                }
            }
        }

        for (int j = 0; j < classes; j++)
        {
            int vector = j;
            steps.Add(new Step($"r{j}", Lanes(lanes, lane =>
            {
                int flat = (vector * lanes) + lane;
                int row = flat / classes, column = flat % classes;
                return m == lanes
                    ? new LaneSource($"k{column}", row)
                    : new LaneSource($"h{row / m}_{column / c}", ((column % c) * m) + (row % m));
            })));
        }

        return new Plan(m, steps);
    }

    private static void Emit(IndentedWriter w, BlockWidth t, IndexTable table, Plan plan)
    {
        foreach (Step step in plan.Steps)
        {
            Gather(w, t, table, step.Target, step.Lanes);
        }
    }

    private static LaneSource Flat(BlockWidth t, int flat, string prefix) => new($"{prefix}{flat / t.Lanes}", flat % t.Lanes);

    private static LaneSource[] Lanes(int lanes, System.Func<int, LaneSource> map) => Enumerable.Range(0, lanes).Select(map).ToArray();

    // Declares `target` as the vector whose lane r is lane lanes[r].Lane of vector lanes[r].Source (null: any value).
    private static void Gather(IndentedWriter w, BlockWidth t, IndexTable table, string target, LaneSource[] lanes)
    {
        List<string> sources = Sources(lanes);
        if (!t.TwoSourcePermute)
        {
            // AVX2: permute each source on its own, then blend its lanes in with an immediate mask.
            for (int s = 0; s < sources.Count; s++)
            {
                string source = sources[s];
                string permuted = SinglePermute(t, table, source, lanes.Select((l, i) => l.Source == source ? l.Lane : s == 0 ? i : 0).ToArray());
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
            int[] index = lanes.Select((l, i) => l.Source is null ? i : l.Lane).ToArray();
            bool identity = index.Select((l, i) => l == i).All(x => x);
            w.Line(identity
                ? $"var {target} = {sources[0]};"
                : $"var {target} = Permute({sources[0]}, {table.Load(index)}, {sources[0]});");
            return;
        }

        var filled = new bool[t.Lanes];
        int[] first = new int[t.Lanes];
        for (int r = 0; r < t.Lanes; r++)
        {
            first[r] = lanes[r].Source == sources[0] ? lanes[r].Lane : lanes[r].Source == sources[1] ? t.Lanes + lanes[r].Lane : r;
            filled[r] = lanes[r].Source is null || lanes[r].Source == sources[0] || lanes[r].Source == sources[1];
        }

        w.Line($"var {target} = Permute({sources[0]}, {table.Load(first)}, {sources[1]});");
        for (int s = 2; s < sources.Count; s++)
        {
            int[] next = new int[t.Lanes];
            for (int r = 0; r < t.Lanes; r++)
            {
                next[r] = !filled[r] && lanes[r].Source == sources[s] ? t.Lanes + lanes[r].Lane : r;
                filled[r] |= lanes[r].Source == sources[s];
            }

            w.Line($"{target} = Permute({target}, {table.Load(next)}, {sources[s]});");
        }
    }

    private static List<string> Sources(LaneSource[] lanes)
    {
        var sources = new List<string>();
        foreach (LaneSource lane in lanes)
        {
            if (lane.Source is { } source && !sources.Contains(source))
            {
                sources.Add(source);
            }
        }

        return sources;
    }

    // Doubles move with the immediate four-lane permute; floats with the variable eight-lane one.
    private static string SinglePermute(BlockWidth t, IndexTable table, string source, int[] index)
    {
        if (index.Select((l, i) => l == i).All(x => x))
        {
            return source;
        }

        return t.IsFloat
            ? $"Avx2.PermuteVar8x32({source}, {table.Load(index)})"
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

    /// <summary>
    /// The distinct index vectors of one transpose method, in first-use order, and the expression that loads one of them
    /// from the method's table (<c>ix</c>). Doubles' AVX2 permutes take immediates and add nothing.
    /// </summary>
    private sealed class IndexTable
    {
        private readonly BlockWidth _width;
        private readonly List<string> _vectors = new();

        public IndexTable(BlockWidth width) => _width = width;

        public int Count => _vectors.Count;

        /// <summary>int for float permutes, long for the Vector512 double permute.</summary>
        public string Element => _width.IsFloat ? "int" : "long";

        /// <summary>The table's values, every vector after the other.</summary>
        public string Values => string.Join(", ", _vectors);

        public string Load(int[] index)
        {
            string key = string.Join(", ", index);
            int at = _vectors.IndexOf(key);
            if (at < 0)
            {
                at = _vectors.Count;
                _vectors.Add(key);
            }

            return $"{_width.Vector}.LoadUnsafe(ref ix, {at * index.Length})";
        }
    }

    /// <summary>Where one lane of a gathered vector comes from; a null source means the lane's value does not matter.</summary>
    internal readonly record struct LaneSource(string? Source, int Lane);

    /// <summary>One gathered vector: its name and where each of its lanes comes from.</summary>
    internal sealed record Step(string Target, LaneSource[] Lanes);

    /// <summary>The gathers of one transpose with group size <paramref name="GroupRows"/>, in order.</summary>
    internal sealed record Plan(int GroupRows, List<Step> Steps)
    {
        /// <summary>The permutes (and, for AVX2, blends) the plan's gathers emit.</summary>
        public int Permutes(BlockWidth t) => Steps.Sum(step =>
        {
            int sources = Sources(step.Lanes).Count;
            return t.TwoSourcePermute ? System.Math.Max(1, sources - 1) : (2 * sources) - 1;
        });
    }
}

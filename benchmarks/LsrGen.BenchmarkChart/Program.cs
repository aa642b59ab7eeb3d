using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

// Draws ns per row (or, with "element", ns per logit) against K (log-log), one line per method, from BenchmarkDotNet's
// CSV reports. Per element, a flat line is a cost proportional to N*K; the mid-K dip of the row loops shows there.
// With "bars COLUMN", draws each method's mean time as bars grouped by the values of COLUMN (a thread count, say).
// Usage: dotnet run -c Release --project benchmarks/LsrGen.BenchmarkChart -- <report.csv> <title> <output.png> [row|element|bars COLUMN]
if (args.Length is < 3 or > 5 || (args.Length == 4 && args[3] is not ("row" or "element")) || (args.Length == 5 && args[3] != "bars"))
{
    Console.Error.WriteLine("usage: LsrGen.BenchmarkChart <report.csv> <title> <output.png> [row|element|bars COLUMN]");
    return 2;
}

if (args.Length == 5)
{
    GroupedBars.Draw(Csv.Read(args[0]), args[4], args[1], args[2]);
    Console.WriteLine($"wrote {args[2]}");
    return 0;
}

bool perElement = args.Length == 4 && args[3] == "element";

List<Dictionary<string, string>> rows = Csv.Read(args[0]);
var plot = new ScottPlot.Plot();
var palette = new ScottPlot.Palettes.Category10();
int color = 0;
foreach (IGrouping<string, Dictionary<string, string>> method in rows.GroupBy(r => r["Method"]))
{
    var points = method
        .Select(r => (K: int.Parse(r["K"], CultureInfo.InvariantCulture), Ns: Csv.Nanoseconds(r["Mean"])))
        .Where(p => !double.IsNaN(p.Ns))
        .OrderBy(p => p.K)
        .ToArray();
    double[] xs = points.Select(p => Math.Log10(p.K)).ToArray();
    double[] ys = points.Select(p => Math.Log10(p.Ns / RowsFor(p.K) / (perElement ? p.K : 1))).ToArray();
    var line = plot.Add.Scatter(xs, ys, palette.GetColor(color++));
    line.LegendText = Contenders.Name(method.Key);
    line.LineWidth = 2;
    line.MarkerSize = 6;
}

var logTicks = new ScottPlot.TickGenerators.NumericAutomatic
{
    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
    IntegerTicksOnly = true,
    LabelFormatter = v => Math.Pow(10, v).ToString("#,0.###", CultureInfo.InvariantCulture),
};
plot.Axes.Left.TickGenerator = logTicks;
plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
{
    MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
    IntegerTicksOnly = true,
    LabelFormatter = v => Math.Pow(10, v).ToString("#,0.###", CultureInfo.InvariantCulture),
};
plot.Title(args[1]);
plot.XLabel("classes K (log scale)");
plot.YLabel(perElement ? "ns per logit (log scale)" : "ns per row (log scale)");
// The legend beside the data, never over it; every point inside the axes, with room around the outermost ones.
plot.ShowLegend(ScottPlot.Edge.Right);
plot.Axes.AutoScale();
plot.Axes.Margins(0.05, 0.1);
plot.SavePng(args[2], 1100, 650);
Console.WriteLine($"wrote {args[2]}");
return 0;

// Must match benchmarks/LsrGen.Benchmarks/Workload.RowsFor.
static int RowsFor(int classes) => classes <= 100 ? 4096 : classes <= 1000 ? 1024 : 128;

internal static class Csv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        string[] lines = File.ReadAllLines(path);
        string[] header = Split(lines[0]);
        return lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => header.Zip(Split(l)).ToDictionary(p => p.First, p => p.Second))
            .ToList();
    }

    /// <summary>"1,234.5 ns", "12.3 μs", "4 ms" to nanoseconds; NaN for "NA" or empty.</summary>
    public static double Nanoseconds(string cell)
    {
        string[] parts = cell.Replace(",", string.Empty, StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return double.NaN;
        }

        string unit = parts.Length > 1 ? parts[1] : "ns";
        return unit switch
        {
            "ns" => value,
            "μs" or "us" => value * 1e3,
            "ms" => value * 1e6,
            "s" => value * 1e9,
            _ => double.NaN,
        };
    }

    private static string[] Split(string line)
    {
        var cells = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                cells.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        cells.Add(current.ToString());
        return [.. cells];
    }
}

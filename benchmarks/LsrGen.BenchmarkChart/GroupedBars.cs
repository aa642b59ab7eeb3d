using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

// Each method's mean time as one bar per value of a column (a thread count, a build configuration), the groups side
// by side and a bar's value printed above it, in the unit that suits the largest.
internal static class GroupedBars
{
    public static void Draw(List<Dictionary<string, string>> rows, string column, string title, string output)
    {
        string[] groups = rows.Select(r => r[column]).Distinct().ToArray();
        string[] methods = rows.Select(r => r["Method"]).Distinct().ToArray();
        double largest = rows.Max(r => Csv.Nanoseconds(r["Mean"]));
        (double scale, string unit) = largest >= 1e9 ? (1e9, "s") : largest >= 1e6 ? (1e6, "ms") : largest >= 1e3 ? (1e3, "μs") : (1.0, "ns");

        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        double width = 0.8 / methods.Length;
        for (int m = 0; m < methods.Length; m++)
        {
            var bars = new List<ScottPlot.Bar>();
            for (int g = 0; g < groups.Length; g++)
            {
                Dictionary<string, string>? row = rows.FirstOrDefault(r => r["Method"] == methods[m] && r[column] == groups[g]);
                if (row is null)
                {
                    continue;
                }

                double value = Csv.Nanoseconds(row["Mean"]) / scale;
                bars.Add(new ScottPlot.Bar
                {
                    Position = g - 0.4 + (width * (m + 0.5)),
                    Value = value,
                    Size = width * 0.9,
                    FillColor = palette.GetColor(m),
                    Label = value.ToString(value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##", CultureInfo.InvariantCulture),
                });
            }

            var plotted = plot.Add.Bars(bars);
            plotted.LegendText = Contenders.Name(methods[m]);
            plotted.ValueLabelStyle.FontSize = 11;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, groups.Length).Select(g => (double)g).ToArray(),
            groups.Select(g => double.TryParse(g, CultureInfo.InvariantCulture, out _) ? $"{column} = {g}" : g).ToArray());
        plot.Title(title);
        plot.YLabel($"time ({unit})");
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.Axes.AutoScale();
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.SavePng(output, 1100, 650);
    }
}

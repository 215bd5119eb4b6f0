using System.Globalization;

namespace DurableFlow.Bench.RealHost;

/// <summary>Timings by shape, app and round; printed as the table docs/benchmarks.md keeps.</summary>
public sealed class BenchResults
{
    private readonly List<(string Shape, string App, int Round, double Value, string Unit)> _rows = [];

    public void Add(string shape, string app, int round, double value, string unit)
    {
        _rows.Add((shape, app, round, value, unit));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {shape,-22} {app,-12} round {round}: {value:F3} {unit}"));
    }

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine();
        output.WriteLine("| measure | DurableFlow | bare Durable app | ratio (DurableFlow ÷ bare) |");
        output.WriteLine("|---|---|---|---|");
        foreach (var shape in _rows.Select(r => r.Shape).Distinct())
        {
            var ours = _rows.Where(r => r.Shape == shape && r.App == "durableflow").OrderBy(r => r.Round).ToList();
            var theirs = _rows.Where(r => r.Shape == shape && r.App == "bare").OrderBy(r => r.Round).ToList();
            var unit = ours.Concat(theirs).First().Unit;
            var ratios = ours.Join(theirs, o => o.Round, t => t.Round, (o, t) => o.Value / t.Value).ToList();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {shape} | {Join(ours.Select(r => r.Value), unit)} | {(theirs.Count == 0 ? "—" : Join(theirs.Select(r => r.Value), unit))} | {(ratios.Count == 0 ? "—" : string.Join(", ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture))))} |"));
        }
    }

    private static string Join(IEnumerable<double> values, string unit) =>
        string.Join(", ", values.Select(v => v.ToString(v >= 100 ? "F0" : v >= 10 ? "F1" : "F3", CultureInfo.InvariantCulture))) + " " + unit;
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Nerva.Callbacks;

namespace Nerva.Models;

/// <summary>
/// Keras's progress line: "Epoch 3/10", then "50/50 ━━━━━━━━━━ 1s 12ms/step - accuracy: 0.8512 - loss: 0.4100".
/// On a terminal with verbose 1 it redraws itself while the epoch runs; otherwise (verbose 2, or
/// output redirected to a file) it prints one line per epoch.
/// </summary>
internal sealed class ProgressLogger(int verbose, int epochs, int stepsPerEpoch) : Callback
{
    private const int BarWidth = 20;
    private readonly bool live = verbose == 1 && !Console.IsOutputRedirected;
    private readonly Stopwatch epochClock = new();
    private long lastDraw;
    private int steps;

    public override void OnEpochBegin(int epoch)
    {
        Console.WriteLine($"Epoch {epoch + 1}/{epochs}");
        epochClock.Restart();
        lastDraw = 0;
        steps = 0;
    }

    public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        steps = batch + 1;
        if (!live || epochClock.ElapsedMilliseconds - lastDraw < 100) return;
        lastDraw = epochClock.ElapsedMilliseconds;
        Console.Write("\r" + Line(logs, final: false));
    }

    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (live) Console.Write("\r");
        Console.WriteLine(Line(logs, final: true));
    }

    private string Line(IReadOnlyDictionary<string, float> logs, bool final)
    {
        int total = stepsPerEpoch > 0 ? stepsPerEpoch : steps;
        var sb = new StringBuilder();
        double elapsed = epochClock.Elapsed.TotalSeconds;
        if (total > 0)
        {
            int filled = final ? BarWidth : Math.Min(BarWidth, BarWidth * steps / Math.Max(total, 1));
            sb.Append(CultureInfo.InvariantCulture, $"{steps}/{(final ? steps : total)} ")
              .Append('━', filled).Append(' ', BarWidth - filled).Append(' ');
        }
        double perStep = steps > 0 ? elapsed / steps : 0;
        string stepTime = perStep >= 1e-3 ? $"{perStep * 1e3:F0}ms" : $"{perStep * 1e6:F0}us";
        if (final || total <= steps) sb.Append(CultureInfo.InvariantCulture, $"{elapsed:F0}s {stepTime}/step");
        else sb.Append(CultureInfo.InvariantCulture, $"ETA {(total - steps) * perStep:F0}s");
        foreach (var (name, value) in logs.OrderBy(p => p.Key.StartsWith("val_")).ThenBy(p => p.Key, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $" - {name}: {value:F4}");
        return sb.ToString();
    }
}

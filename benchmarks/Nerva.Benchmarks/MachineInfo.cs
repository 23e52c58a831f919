using System.Runtime.Intrinsics;

namespace Nerva.Benchmarks;

/// <summary>One line about the machine and runtime, printed above every table.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        string cpu = "unknown CPU";
        try
        {
            // The model name alone ("AMD EPYC" on these VMs) does not tell Zen 4 (family 25) from Zen 5 (26),
            // whose 512-bit FMA width, and so whose peak, differ by 2×.
            var lines = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).ToList();
            string? Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name))?.Split(':', 2)[1].Trim();
            cpu = Field("model name") ?? cpu;
            if (Field("cpu family") is { } family && Field("model\t") is { } model) cpu += $" (family {family}, model {model})";
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string simd = Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "128-bit";
        return $"{cpu}, {Environment.ProcessorCount} cores, {simd}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}

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
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string simd = Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "128-bit";
        return $"{cpu}, {Environment.ProcessorCount} cores, {simd}, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}

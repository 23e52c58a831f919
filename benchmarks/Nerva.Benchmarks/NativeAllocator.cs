using System.Runtime.InteropServices;

namespace Nerva.Benchmarks;

/// <summary>
/// Steadies libtorch's memory: glibc malloc serves large blocks with mmap and, by default, moves
/// that threshold as blocks are freed, so whether libtorch's per-step buffers come back as fresh
/// pages depends on the allocation history. On this VM a MnistCnn step then took ~3,000 page faults
/// and 36–46 ms instead of 12–15 ms, depending on the run. Fixing the thresholds (as PyTorch's CPU
/// tuning advice does by other means: jemalloc, tcmalloc) gives TorchSharp its steady, faster
/// figure. Nerva's memory is the .NET GC's and does not go through malloc.
/// </summary>
internal static partial class NativeAllocator
{
    private const int TrimThreshold = -1, MmapThreshold = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in malloc.h

    /// <summary>Blocks under 32 MiB (glibc's largest mmap threshold) come from the heap, which keeps up to 256 MiB free.</summary>
    public static string Steady()
    {
        if (!OperatingSystem.IsLinux()) return "native allocator: platform default";
        try
        {
            bool fixedThresholds = Mallopt(MmapThreshold, 32 << 20) == 1 && Mallopt(TrimThreshold, 256 << 20) == 1;
            return fixedThresholds
                ? "native allocator: glibc malloc with fixed thresholds (mmap 32 MiB, trim 256 MiB), so libtorch does not page-fault its buffers back in each step"
                : "native allocator: glibc refused fixed thresholds; libtorch figures may vary between runs";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "native allocator: not glibc (no mallopt); libtorch figures may vary between runs";
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "mallopt")]
    private static partial int Mallopt(int parameter, int value);
}

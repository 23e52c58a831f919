namespace Nerva.Data.Selection;

/// <summary>The seeded randomness of the splitters and samplers: the same seed gives the same result.</summary>
internal static class Shuffling
{
    /// <summary>A generator seeded by <paramref name="seed"/>, or a fresh random one when it is null.</summary>
    public static Random Create(int? seed) => seed is int s ? new Random(s) : new Random();

    /// <summary>Fisher-Yates: a uniformly random permutation in place.</summary>
    public static void Shuffle<T>(Span<T> values, Random rng)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>0, 1, ..., n - 1, shuffled.</summary>
    public static int[] Permutation(int n, Random rng)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle<int>(p, rng);
        return p;
    }
}

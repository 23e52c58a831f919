namespace Nerva.Initializers;

/// <summary>The global random source for unseeded initializers, dropout and shuffling; <see cref="SetSeed"/> makes a run repeatable (keras.utils.set_random_seed).</summary>
public static class RandomState
{
    private static Random global = new();
    private static readonly object Gate = new();

    /// <summary>Reseeds the global random source.</summary>
    public static void SetSeed(int seed)
    {
        lock (Gate) global = new Random(seed);
    }

    /// <summary>A new random source drawn from the global one (so each consumer is independent but repeatable).</summary>
    public static Random NextRandom()
    {
        lock (Gate) return new Random(global.Next());
    }

    /// <summary>One standard normal sample (Box–Muller).</summary>
    public static double StandardNormal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}

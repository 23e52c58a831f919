namespace Nerva.Tests;

/// <summary>
/// Tests that seed the global random state (RandomState.SetSeed) and then rely on what it draws:
/// run alone, after the parallel tests, so no other test's layers draw from it in between.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalRandomStateCollection
{
    public const string Name = "Global random state";
}

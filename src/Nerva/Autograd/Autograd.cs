namespace Nerva;

/// <summary>Switches for gradient recording.</summary>
public static class Autograd
{
    [ThreadStatic] private static int noGradDepth;

    /// <summary>True unless inside a <see cref="NoGrad"/> scope on this thread.</summary>
    public static bool IsEnabled => noGradDepth == 0;

    /// <summary>
    /// Stops recording operations on this thread until the returned scope is disposed, as
    /// torch.no_grad: <c>using (Autograd.NoGrad()) { ... }</c>.
    /// </summary>
    public static IDisposable NoGrad()
    {
        noGradDepth++;
        return new NoGradScope();
    }

    private sealed class NoGradScope : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            noGradDepth--;
        }
    }
}

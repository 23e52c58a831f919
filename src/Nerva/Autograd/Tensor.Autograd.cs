namespace Nerva;

public sealed partial class Tensor
{
    private bool requiresGrad;

    /// <summary>The operation that produced this tensor, or null for a leaf.</summary>
    internal Node? GradFn { get; private set; }

    /// <summary>Whether operations on this tensor are recorded so that gradients can flow back to it.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (!value && GradFn is not null)
                throw new InvalidOperationException("RequiresGrad: a tensor computed from others cannot stop requiring gradients; use Detach().");
            requiresGrad = value;
        }
    }

    /// <summary>True for tensors created by the user rather than computed by a recorded op.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The accumulated gradient of a leaf tensor after <see cref="Backward(Tensor?, bool)"/>; null until then.</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>Forgets the accumulated gradient (PyTorch's <c>grad = None</c>).</summary>
    public void ZeroGrad() => Grad = null;

    /// <summary>The same values (shared storage) cut off from the graph.</summary>
    public Tensor Detach() => new(Data, Dims);

    /// <summary>Sets requires-grad and returns this tensor, for chaining: <c>Tensor.Zeros(3).RequiresGrad_()</c>.</summary>
    public Tensor RequiresGrad_(bool value = true)
    {
        RequiresGrad = value;
        return this;
    }

    /// <summary>
    /// Computes the gradient of this tensor with respect to every leaf that requires one, adding it
    /// to their <see cref="Grad"/>. A non-scalar tensor needs <paramref name="gradient"/>, the
    /// gradient of some scalar with respect to it. The graph is freed afterwards unless
    /// <paramref name="retainGraph"/> is set.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) =>
        BackwardEngine.Run(this, gradient, retainGraph);

    /// <summary>True when an op reading these inputs should record itself.</summary>
    internal static bool ShouldRecord(Tensor a) => a.requiresGrad && Autograd.IsEnabled;

    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.requiresGrad || b.requiresGrad) && Autograd.IsEnabled;

    /// <summary>
    /// Ties pooled scratch arrays that this tensor's backward reads (saved by the op that made it) to this
    /// tensor's lifetime when a backward was recorded, or hands them back to the pool at once otherwise.
    /// </summary>
    internal Tensor Saving(params ReadOnlySpan<Array?> saved)
    {
        if (GradFn is not null) BufferPool.KeepWith(this, saved);
        else BufferPool.Return(saved);
        return this;
    }

    /// <summary>
    /// Attaches <paramref name="backward"/> to <paramref name="result"/> when any input requires a
    /// gradient and recording is on. <paramref name="backward"/> maps the output's gradient to one
    /// gradient per input, each in that input's shape (null where none is needed).
    /// </summary>
    internal static Tensor Record(Tensor result, string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        if (!Autograd.IsEnabled) return result;
        foreach (var input in inputs)
        {
            if (input.requiresGrad)
            {
                result.requiresGrad = true;
                result.GradFn = new Node(op, inputs, backward);
                return result;
            }
        }
        return result;
    }
}

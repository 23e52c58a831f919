namespace Nerva;

/// <summary>
/// One recorded operation in the autograd graph: the inputs it read and the function that turns
/// the gradient of its output into gradients of those inputs.
/// </summary>
internal sealed class Node
{
    public readonly string Op;
    private Tensor[] inputs;
    private Func<Tensor, Tensor?[]>? backward;

    public Node(string op, Tensor[] inputs, Func<Tensor, Tensor?[]> backward)
    {
        Op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public ReadOnlySpan<Tensor> Inputs => inputs;

    /// <summary>Gradients for each input (null where an input needs none).</summary>
    public Tensor?[] Apply(Tensor gradOutput)
    {
        if (backward is null)
            throw new InvalidOperationException(
                $"Backward: trying to backward through the graph a second time (at {Op}); its saved values were freed " +
                "after the first Backward. Pass retainGraph: true to the first Backward call to keep them.");
        return backward(gradOutput);
    }

    /// <summary>Drops the saved tensors so their memory can be reclaimed, as PyTorch does without retain_graph.</summary>
    public void Release()
    {
        backward = null;
        inputs = [];
    }
}

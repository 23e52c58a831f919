using System.Numerics.Tensors;

namespace Nerva;

/// <summary>Reverse-mode differentiation over the recorded graph: a topological sort and one reverse loop.</summary>
internal static class BackwardEngine
{
    public static void Run(Tensor root, Tensor? gradient, bool retainGraph)
    {
        if (!root.RequiresGrad)
            throw new InvalidOperationException(
                $"Backward: the tensor {ShapeUtil.Format(root.Dims)} does not require grad and has no recorded graph; " +
                "set RequiresGrad on an input before computing it.");
        if (gradient is null)
        {
            if (root.Size != 1)
                throw new InvalidOperationException(
                    $"Backward: a gradient can be created implicitly only for a tensor with one element, got shape " +
                    $"{ShapeUtil.Format(root.Dims)}; pass Backward(gradient).");
            gradient = Tensor.OnesLike(root);
        }
        else if (!gradient.Dims.AsSpan().SequenceEqual(root.Dims))
        {
            throw ShapeUtil.Error("Backward", $"a gradient of shape {ShapeUtil.Format(root.Dims)}", ShapeUtil.Format(gradient.Dims));
        }

        if (root.IsLeaf)
        {
            AccumulateLeaf(root, gradient);
            return;
        }

        var order = TopologicalOrder(root);
        var pending = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance) { [root] = gradient };
        using var _ = Autograd.NoGrad();
        for (int i = order.Count - 1; i >= 0; i--)
        {
            var tensor = order[i];
            if (!pending.Remove(tensor, out var grad)) continue;
            var node = tensor.GradFn!;
            var inputs = node.Inputs;
            long start = Diagnostics.Profiler.Start();
            var inputGrads = node.Apply(grad);
            Diagnostics.Profiler.Stop(start, node.Op, " backward");
            for (int j = 0; j < inputs.Length; j++)
            {
                var input = inputs[j];
                var g = inputGrads[j];
                if (!input.RequiresGrad || g is null) continue;
                if (!g.Dims.AsSpan().SequenceEqual(input.Dims))
                    throw new InvalidOperationException(
                        $"Backward: {node.Op} produced a gradient of shape {ShapeUtil.Format(g.Dims)} for an input of shape {ShapeUtil.Format(input.Dims)}.");
                if (input.IsLeaf)
                    AccumulateLeaf(input, g);
                else
                    pending[input] = pending.TryGetValue(input, out var sum) ? sum + g : g;
            }
            if (!retainGraph) node.Release();
        }
    }

    /// <summary>Adds into a leaf's gradient; the first gradient is copied because ops may share it.</summary>
    private static void AccumulateLeaf(Tensor leaf, Tensor grad)
    {
        if (leaf.Grad is null)
        {
            var data = BufferPool.Floats(grad.Size);
            grad.Data.CopyTo(data, 0);
            leaf.Grad = new Tensor(data, leaf.Dims);
        }
        else
            TensorPrimitives.Add(leaf.Grad.Data, grad.Data, leaf.Grad.Data);
    }

    /// <summary>Non-leaf tensors reachable from <paramref name="root"/>, each after all of its inputs.</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        // Iterative depth-first search: long recurrent graphs would overflow a recursive one.
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { root };
        var stack = new Stack<(Tensor Tensor, int NextInput)>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (tensor, next) = stack.Pop();
            var inputs = tensor.GradFn!.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((tensor, next + 1));
                var input = inputs[next];
                if (input.GradFn is not null && visited.Add(input))
                    stack.Push((input, 0));
            }
            else
            {
                order.Add(tensor);
            }
        }
        return order;
    }
}

using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>The training loop as TorchSharp users write it, shared by every training workload.</summary>
internal static class TorchLoop
{
    /// <summary>
    /// One epoch: a shuffled index, then per batch a dispose scope, zero_grad, the loss of the
    /// batch's samples (<paramref name="loss"/> gathers them with index_select), backward, step.
    /// </summary>
    public static void Epoch(long samples, int batchSize, torch.optim.Optimizer optimizer, Func<torch.Tensor, torch.Tensor> loss)
    {
        using var order = torch.randperm(samples);
        for (long start = 0; start < samples; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            var index = order.narrow(0, start, Math.Min(batchSize, samples - start));
            optimizer.zero_grad();
            loss(index).backward();
            optimizer.step();
        }
    }

    /// <summary>One step on a fixed batch: what a training step costs without the gathering.</summary>
    public static void Step(torch.optim.Optimizer optimizer, Func<torch.Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        loss().backward();
        optimizer.step();
    }
}

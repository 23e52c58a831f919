namespace Nerva.Data.Augmentation;

/// <summary>Applies transforms one after another (torchvision's Compose).</summary>
public sealed class Compose(params Func<Tensor, Tensor>[] transforms)
{
    /// <summary>Runs every transform in order.</summary>
    public Tensor Apply(Tensor sample)
    {
        foreach (var transform in transforms) sample = transform(sample);
        return sample;
    }
}

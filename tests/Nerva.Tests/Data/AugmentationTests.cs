using Nerva.Data.Augmentation;

namespace Nerva.Tests.Data;

public class AugmentationTests
{
    private static readonly Tensor Image = Tensor.Arange(2 * 3 * 2).Reshape(2, 3, 2); // [H=2, W=3, C=2]

    [Fact]
    public void HorizontalFlipMirrorsColumns()
    {
        var flipped = new RandomHorizontalFlip(probability: 1f).Apply(Image);
        Assert.Equal(Image[0, 2, 1], flipped[0, 0, 1]);
        Assert.Equal(Image[1, 0, 0], flipped[1, 2, 0]);
        Assert.Equal(Image.ToArray(), new RandomHorizontalFlip(probability: 0f).Apply(Image).ToArray());
    }

    [Fact]
    public void TranslationKeepsPixelsOrFills()
    {
        var image = Tensor.RandomUniform([8, 8, 1], 1f, 2f, seed: 1);
        var shifted = new RandomTranslation(0.25f, 0.25f, fill: 0f, seed: 3).Apply(image);
        var values = shifted.ToArray();
        Assert.All(values, v => Assert.True(v == 0f || image.ToArray().Contains(v)));
        Assert.Equal([8, 8, 1], shifted.Shape);
    }

    [Fact]
    public void CropWithPaddingIsAShiftWithinThePadding()
    {
        var image = Tensor.RandomUniform([6, 6, 1], 1f, 2f, seed: 1);
        for (int seed = 0; seed < 5; seed++)
        {
            var zeros = new RandomCrop(padding: 2, seed: seed).Apply(image).Eq(0f).Sum().Item();
            Assert.InRange(zeros, 0, 6 * 6 - 4 * 4); // at most two rows and two columns uncovered
        }
    }

    [Fact]
    public void ZeroRotationIsTheIdentityAndRotationKeepsTheCentre()
    {
        var image = Tensor.RandomUniform([5, 5, 1], seed: 2);
        Assert.Equal(image.ToArray(), new RandomRotation(0f).Apply(image).ToArray(), (a, b) => Math.Abs(a - b) < 1e-6);
        Assert.Equal(image[2, 2, 0], new RandomRotation(30f, seed: 1).Apply(image)[2, 2, 0], 5);
    }

    [Fact]
    public void NoiseHasTheRequestedSpreadAndRepeatsWithASeed()
    {
        var zeros = Tensor.Zeros(50, 50, 4);
        var noisy = new GaussianNoise(0.3f, seed: 4).Apply(zeros);
        Assert.InRange(noisy.Std().Item(), 0.28f, 0.32f);
        Assert.Equal(noisy.ToArray(), new GaussianNoise(0.3f, seed: 4).Apply(zeros).ToArray());
    }

    [Fact]
    public void ComposeRunsInOrderAndBadShapesFail()
    {
        var twice = new Compose(new RandomHorizontalFlip(1f).Apply, new RandomHorizontalFlip(1f).Apply);
        Assert.Equal(Image.ToArray(), twice.Apply(Image).ToArray());
        Assert.Contains("RandomHorizontalFlip", Assert.Throws<ArgumentException>(() => new RandomHorizontalFlip().Apply(Tensor.Zeros(4, 4))).Message);
    }
}

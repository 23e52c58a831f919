namespace Nerva.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void FromArrayCopiesItsInput()
    {
        var data = new[] { 1f, 2f, 3f, 4f };
        var t = Tensor.FromArray(data, 2, 2);
        data[0] = 100f;
        Assert.Equal(1f, t[0, 0]);
        Assert.Equal([2, 2], t.Shape);
        Assert.Equal(2, t.Rank);
        Assert.Equal(4, t.Size);
    }

    [Fact]
    public void ShapeIsACopy()
    {
        var t = Tensor.Zeros(2, 3);
        t.Shape[0] = 7;
        Assert.Equal([2, 3], t.Shape);
    }

    [Fact]
    public void CreationFunctions()
    {
        Assert.Equal([0f, 1f, 2f], Tensor.Arange(3).ToArray());
        Assert.Equal([1f, 1.5f, 2f, 2.5f], Tensor.Arange(1, 3, 0.5f).ToArray());
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], Tensor.Linspace(0, 1, 5).ToArray());
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f], Tensor.Eye(2, 3).ToArray());
        Assert.Equal([7f, 7f], Tensor.Full([2], 7f).ToArray());
        Assert.Equal(6, Tensor.Ones(2, 3).Sum().Item());
        Assert.Equal(3.5f, Tensor.Scalar(3.5f).Item());
        Assert.Equal(0, Tensor.Scalar(1f).Rank);
        Assert.Equal(2, Tensor.FromArray(new float[,] { { 1, 2 }, { 3, 4 } })[0, 1]);
    }

    [Fact]
    public void SeededRandomTensorsRepeat()
    {
        Assert.Equal(Tensor.RandomNormal([5], seed: 3).ToArray(), Tensor.RandomNormal([5], seed: 3).ToArray());
        Assert.NotEqual(Tensor.RandomNormal([5], seed: 3).ToArray(), Tensor.RandomNormal([5], seed: 4).ToArray());
        Assert.Equal(Tensor.RandomUniform([5], seed: 3).ToArray(), Tensor.RandomUniform([5], seed: 3).ToArray());
    }

    [Fact]
    public void RandomTensorsHaveTheRequestedMoments()
    {
        var normal = Tensor.RandomNormal([100_000], mean: 2f, std: 3f, seed: 1);
        Assert.InRange(normal.Mean().Item(), 1.95f, 2.05f);
        Assert.InRange(normal.Std().Item(), 2.95f, 3.05f);
        var uniform = Tensor.RandomUniform([100_000], -1f, 3f, seed: 1);
        Assert.InRange(uniform.Min().Item(), -1f, -0.99f);
        Assert.InRange(uniform.Max().Item(), 2.99f, 3f);
    }

    [Fact]
    public void IndexerReadsRowMajorAndAcceptsNegativeIndices()
    {
        var t = Tensor.Arange(6).Reshape(2, 3);
        Assert.Equal(5f, t[1, 2]);
        Assert.Equal(5f, t[-1, -1]);
        Assert.Throws<IndexOutOfRangeException>(() => t[2, 0]);
        Assert.Throws<ArgumentException>(() => t[1]);
    }

    [Fact]
    public void TransposeAndPermuteProduceRowMajorValues()
    {
        var t = Tensor.Arange(6).Reshape(2, 3);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], t.Transpose(0, 1).ToArray());
        Assert.Equal([3, 2], t.T.Shape);
        var p = Tensor.Arange(24).Reshape(2, 3, 4).Permute(2, 0, 1);
        Assert.Equal([4, 2, 3], p.Shape);
        Assert.Equal(13f, p[1, 1, 0]); // original [1, 0, 1] = 12 + 0 + 1
        // A transposed result feeds further ops like any tensor.
        Assert.Equal([3f, 12f], t.T.Sum(0).ToArray());
    }

    [Fact]
    public void LargeTransposeMatchesElementwiseDefinition()
    {
        var t = Tensor.RandomNormal([70, 45], seed: 2);
        var tt = t.Transpose(0, 1);
        for (int i = 0; i < 70; i += 7)
            for (int j = 0; j < 45; j += 4)
                Assert.Equal(t[i, j], tt[j, i]);
    }

    [Fact]
    public void EmptyDimensionsWork()
    {
        var empty = Tensor.Zeros(0, 3);
        Assert.Equal(0, empty.Size);
        Assert.Equal([3], empty.Sum(0).Shape);
        Assert.Equal([0f, 0f, 0f], empty.Sum(0).ToArray());
        Assert.Equal([0, 3], (empty + Tensor.Ones(3)).Shape);
        Assert.Equal([0, 4], empty.MatMul(Tensor.Ones(3, 4)).Shape);
        Assert.Equal([2, 2], Tensor.Zeros(2, 0).MatMul(Tensor.Zeros(0, 2)).Shape);
        Assert.Equal(0f, Tensor.Zeros(2, 0).MatMul(Tensor.Ones(0, 2)).Sum().Item());
        Assert.Equal([2, 3], Tensor.Concat([Tensor.Zeros(0, 3), Tensor.Ones(2, 3)]).Shape);
    }

    [Fact]
    public void ScalarsBroadcastAndReduce()
    {
        var s = Tensor.Scalar(2f);
        Assert.Equal([2, 2], (s * Tensor.Ones(2, 2)).Shape);
        Assert.Equal(2f, s.Sum().Item());
        Assert.Equal([], s.Reshape().Shape);
        Assert.Equal([1], s.Reshape(-1).Shape);
    }

    [Fact]
    public void MatMulMatchesTorchShapes()
    {
        Assert.Equal([], Tensor.Ones(3).MatMul(Tensor.Ones(3)).Shape);
        Assert.Equal(3f, Tensor.Ones(3).MatMul(Tensor.Ones(3)).Item());
        Assert.Equal([4], Tensor.Ones(3).MatMul(Tensor.Ones(3, 4)).Shape);
        Assert.Equal([2], Tensor.Ones(2, 3).MatMul(Tensor.Ones(3)).Shape);
        Assert.Equal([5, 2, 3, 6], Tensor.Ones(5, 1, 3, 4).MatMul(Tensor.Ones(2, 4, 6)).Shape);
    }

    [Fact]
    public void ComparisonsGiveZeroOrOne()
    {
        var a = Tensor.FromArray([1f, 2f, 3f]);
        Assert.Equal([0f, 1f, 0f], a.Eq(2f).ToArray());
        Assert.Equal([0f, 0f, 1f], a.Gt(Tensor.FromArray([2f])).ToArray());
        Assert.Equal([1f, 1f, 0f], a.Le(2f).ToArray());
        Assert.Equal([1f, 20f, 3f], Tensor.Where(a.Eq(2f), a * 10f, a).ToArray());
    }

    [Fact]
    public void ArgMaxAndOneHot()
    {
        var t = Tensor.FromArray([1f, 5f, 2f, 7f, 0f, 3f], 2, 3);
        Assert.Equal([1f, 0f], t.ArgMax(1).ToArray());
        Assert.Equal(3f, t.ArgMax().Item());
        Assert.Equal(4f, t.ArgMin().Item());
        Assert.Equal([0f, 1f, 0f, 1f, 0f, 0f], Tensor.OneHot(Tensor.FromArray([1f, 0f]), 3).ToArray());
    }

    [Fact]
    public void ToStringShowsShapeAndValues()
    {
        Assert.Equal("Tensor[2, 2] [[1, 2], [3, 4]]", Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2).ToString());
        Assert.StartsWith("Tensor[100, 100]", Tensor.Zeros(100, 100).ToString());
    }

    [Fact]
    public void SoftmaxRowsSumToOneEvenForLargeLogits()
    {
        var s = Tensor.FromArray([1000f, 1001f, 1002f, -5f, 0f, 5f], 2, 3).Softmax(1);
        Assert.All(s.Sum(1).ToArray(), v => Assert.Equal(1f, v, 5));
        Assert.DoesNotContain(s.ToArray(), float.IsNaN);
        var ls = Tensor.FromArray([1000f, 1001f, 1002f], 1, 3).LogSoftmax(-1);
        Assert.Equal(-0.40760596f, ls[0, 2], 5);
    }
}

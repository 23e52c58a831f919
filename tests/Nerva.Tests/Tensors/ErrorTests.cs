namespace Nerva.Tests.Tensors;

/// <summary>Wrong shapes and arguments fail at once, naming the op and the shapes.</summary>
public class ErrorTests
{
    private static void AssertMessage(Exception e, params string[] parts)
    {
        foreach (var part in parts) Assert.Contains(part, e.Message);
    }

    [Fact]
    public void MatMulShapeMismatchNamesBothShapes() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 5))), "MatMul", "[2, 3]", "[4, 5]");

    [Fact]
    public void BatchedMatMulWithIncompatibleBatchesFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3, 4).MatMul(Tensor.Zeros(3, 4, 5))), "MatMul");

    [Fact]
    public void BroadcastMismatchNamesBothShapes() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(3) + Tensor.Zeros(4)), "Add", "[3]", "[4]");

    [Fact]
    public void ComparisonBroadcastMismatchNamesTheOp() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Gt(Tensor.Zeros(2))), "Gt", "[2, 3]", "[2]");

    [Fact]
    public void ReshapeToAWrongSizeFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Reshape(4, 2)), "Reshape", "[4, 2]", "[2, 3]");

    [Fact]
    public void ReshapeWithTwoInferredDimsFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(6).Reshape(-1, -1)), "Reshape");

    [Fact]
    public void NegativeDimensionsAreRejected() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1)), "Zeros", "[2, -1]");

    [Fact]
    public void DimOutOfRangeFails() =>
        AssertMessage(Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).Sum(2)), "Sum", "rank 2", "got 2");

    [Fact]
    public void FromArrayWithTheWrongCountFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.FromArray([1f, 2f, 3f], 2, 2)), "FromArray", "4 values", "got 3");

    [Fact]
    public void ConcatWithMismatchedShapesFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Concat([Tensor.Zeros(2, 3), Tensor.Zeros(3, 3)], 1)), "Concat", "[3, 3]");

    [Fact]
    public void PermuteWithARepeatedDimFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).Permute(0, 0)), "Permute");

    [Fact]
    public void IndexOutOfRangeIsAnArgumentErrorNotACrash() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 2).IndexSelect(0, Tensor.FromArray([3f]))), "IndexSelect", "[0, 3)", "3");

    [Fact]
    public void FractionalIndexIsRejected() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.OneHot(Tensor.FromArray([1.5f]), 3)), "OneHot", "1.5");

    [Fact]
    public void ItemOnManyElementsFails() =>
        AssertMessage(Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).Item()), "Item", "[2]");

    [Fact]
    public void ExpandToAnIncompatibleShapeFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 2).Expand(3, 4)), "Expand", "[3, 4]");

    [Fact]
    public void NarrowPastTheEndFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(4).Narrow(0, 2, 3)), "Narrow");

    [Fact]
    public void SplitSizesMustAddUp() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(5).Split([2, 2], 0)), "Split", "5");

    [Fact]
    public void GatherWithAWrongRankIndexFails() =>
        AssertMessage(Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4).Gather(1, Tensor.Zeros(3))), "Gather");
}

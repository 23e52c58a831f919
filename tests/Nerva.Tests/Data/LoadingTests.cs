using System.IO.Compression;
using Nerva.Data;

namespace Nerva.Tests.Data;

public class LoadingTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nerva-data-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void CsvInfersNumericAndCategoricalColumnsAndKeepsMissingValues()
    {
        var path = Write("pets.csv", "weight,kind,age\n4.5,cat,3\n?,dog,NA\n30,dog,7\n,\"cat, big\",2\n");
        var table = Csv.Read(path);
        Assert.Equal(["weight", "kind", "age"], table.Columns);
        Assert.Equal(4, table.RowCount);
        Assert.Equal(ColumnKind.Numeric, table.Kind("weight"));
        Assert.Equal(ColumnKind.Categorical, table.Kind("kind"));
        var weight = table.Numeric("weight");
        Assert.Equal(4.5f, weight[0]);
        Assert.True(float.IsNaN(weight[1]) && float.IsNaN(weight[3]));
        Assert.Equal("cat, big", table.Categories("kind")[3]);
        var (x, y) = table.ToFeaturesAndLabels("kind", out var classes);
        Assert.Equal(["cat", "cat, big", "dog"], classes);
        Assert.Equal([0f, 2f, 2f, 1f], y.ToArray());
        Assert.Equal([4, 2], x.Shape);
    }

    [Fact]
    public void CsvHonoursDelimiterHeaderAndGivenTypes()
    {
        var path = Write("codes.tsv", "1;007\n2;010\n");
        var table = Csv.Read(path, new CsvOptions
        {
            HasHeader = false, Delimiter = ';',
            ColumnTypes = new Dictionary<string, ColumnKind> { ["1"] = ColumnKind.Categorical },
        });
        Assert.Equal(["0", "1"], table.Columns);
        Assert.Equal(["007", "010"], table.Categories("1").Cast<string>());
        Assert.Equal([1f, 2f], table.Numeric("0"));
    }

    [Fact]
    public void RaggedRowNamesFileAndLine()
    {
        var path = Write("ragged.csv", "a,b\n1,2\n3\n");
        var error = Assert.Throws<InvalidDataException>(() => Csv.Read(path));
        Assert.Contains("ragged.csv:3", error.Message);
        Assert.Contains("expected 2 fields, got 1", error.Message);
    }

    [Fact]
    public void TextInANumericColumnNamesFileLineAndColumn()
    {
        var path = Write("bad.csv", "a,b\n1,2\n3,oops\n");
        var options = new CsvOptions { ColumnTypes = new Dictionary<string, ColumnKind> { ["b"] = ColumnKind.Numeric } };
        var error = Assert.Throws<InvalidDataException>(() => Csv.Read(path, options));
        Assert.Contains("bad.csv:3", error.Message);
        Assert.Contains("'b'", error.Message);
        Assert.Contains("oops", error.Message);
    }

    [Fact]
    public void UnknownColumnIsAClearError() =>
        Assert.Contains("no column 'c'", Assert.Throws<ArgumentException>(() => Csv.Read(Write("x.csv", "a,b\n1,2\n")).Numeric("c")).Message);

    [Fact]
    public void IdxImagesAndLabelsRoundTripPlainAndGzip()
    {
        var pixels = new byte[2 * 3 * 2];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)(i * 20);
        var images = Path.Combine(directory, "images-idx3-ubyte");
        Idx.Write(images, pixels, 2, 3, 2);
        var labels = Path.Combine(directory, "labels-idx1-ubyte");
        Idx.Write(labels, [7, 3], 2);

        var x = Idx.ReadImages(images);
        Assert.Equal([2, 3, 2, 1], x.Shape);
        Assert.Equal(20f / 255f, x[0, 0, 1, 0], 6);
        Assert.Equal(220f, Idx.ReadImages(images, scale: false)[1, 2, 1, 0]);
        Assert.Equal([7f, 3f], Idx.ReadLabels(labels).ToArray());

        var gz = images + ".gz";
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            output.Write(File.ReadAllBytes(images));
        Assert.Equal(x.ToArray(), Idx.ReadImages(gz).ToArray());
    }

    [Fact]
    public void IdxWithAWrongMagicNumberIsAClearError()
    {
        var path = Path.Combine(directory, "not-idx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8]);
        Assert.Contains("not an IDX file", Assert.Throws<InvalidDataException>(() => Idx.ReadLabels(path)).Message);
    }

    [Fact]
    public void TruncatedIdxIsAClearError()
    {
        var path = Path.Combine(directory, "short-idx");
        Idx.Write(path, new byte[100], 4, 5, 5);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 10)]);
        var error = Assert.Throws<InvalidDataException>(() => Idx.ReadImages(path));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("100", error.Message);
    }

    [Fact]
    public void MissingMnistFilesSayHowToGetThem()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Datasets.LoadFashionMnist(directory));
        Assert.Contains("apt-get install dataset-fashion-mnist", error.Message);
        Assert.False(Datasets.FashionMnistAvailable(directory));
    }
}

namespace Nerva.Data;

/// <summary>
/// Well-known datasets in one call each. Iris, Digits, Breast Cancer and Diabetes are bundled
/// (copied from scikit-learn, BSD licence); MNIST and Fashion-MNIST are read from their IDX files.
/// </summary>
public static class Datasets
{
    /// <summary>Where Debian's dataset-fashion-mnist package puts the files.</summary>
    public const string FashionMnistDefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The iris species, in label order.</summary>
    public static IReadOnlyList<string> IrisClasses { get; } = ["setosa", "versicolor", "virginica"];

    /// <summary>Fisher's iris: features [150, 4] (sepal length/width, petal length/width, cm) and species [150] in 0..2.</summary>
    public static (Tensor Features, Tensor Labels) LoadIris() => LoadSklearnCsv("iris.csv");

    /// <summary>Breast Cancer Wisconsin (diagnostic): features [569, 30] and labels [569] (0 malignant, 1 benign).</summary>
    public static (Tensor Features, Tensor Labels) LoadBreastCancer() => LoadSklearnCsv("breast_cancer.csv.gz");

    /// <summary>
    /// 8x8 handwritten digits: 1797 images with pixel values 0–16, as [1797, 64] or, with
    /// <paramref name="asImages"/>, NHWC [1797, 8, 8, 1]; labels [1797] in 0..9.
    /// </summary>
    public static (Tensor Features, Tensor Labels) LoadDigits(bool asImages = false)
    {
        var table = Csv.Parse(Resource("digits.csv.gz"), "digits.csv.gz", new CsvOptions { HasHeader = false });
        var (x, y) = table.ToFeaturesAndLabels("64", out _);
        return (asImages ? x.Reshape(-1, 8, 8, 1) : x, y);
    }

    /// <summary>
    /// Diabetes (Efron et al.): ten baseline features [442, 10] (age, sex, bmi, bp, s1–s6, unscaled)
    /// and disease progression after one year [442] (regression).
    /// </summary>
    public static (Tensor Features, Tensor Targets) LoadDiabetes()
    {
        var options = new CsvOptions { HasHeader = false, Delimiter = ' ' };
        var x = Csv.Parse(Resource("diabetes_data_raw.csv.gz"), "diabetes_data_raw.csv.gz", options).ToTensor();
        var y = Csv.Parse(Resource("diabetes_target.csv.gz"), "diabetes_target.csv.gz", options).ToTensor();
        return (x, y.Reshape(-1));
    }

    /// <summary>
    /// Fashion-MNIST: 60,000 training and 10,000 test images, NHWC [N, 28, 28, 1] scaled to [0, 1],
    /// and labels in 0..9. The files are read from <paramref name="directory"/> (Debian's location by default).
    /// </summary>
    /// <exception cref="FileNotFoundException">The files are missing; the message says how to get them.</exception>
    public static (Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels) LoadFashionMnist(string? directory = null) =>
        LoadMnistFamily(directory ?? FashionMnistDefaultDirectory, "Fashion-MNIST",
            "install them with `apt-get install dataset-fashion-mnist` (Debian) or download the four .gz files from the Fashion-MNIST repository");

    /// <summary>MNIST handwritten digits from <paramref name="directory"/> (the same four IDX files and layout as Fashion-MNIST).</summary>
    public static (Tensor TrainImages, Tensor TrainLabels, Tensor TestImages, Tensor TestLabels) LoadMnist(string directory) =>
        LoadMnistFamily(directory, "MNIST", "download the four .gz files of the MNIST database into it");

    /// <summary>Whether Fashion-MNIST's files are present in <paramref name="directory"/> (Debian's location by default).</summary>
    public static bool FashionMnistAvailable(string? directory = null) =>
        MnistFiles(directory ?? FashionMnistDefaultDirectory).All(f => FindFile(f) is not null);

    private static (Tensor, Tensor, Tensor, Tensor) LoadMnistFamily(string directory, string name, string howToGet)
    {
        var files = MnistFiles(directory);
        var paths = new string[files.Length];
        for (int i = 0; i < files.Length; i++)
            paths[i] = FindFile(files[i]) ?? throw new FileNotFoundException(
                $"{name}: {Path.GetFileName(files[i])}(.gz) is not in {directory}; {howToGet}.", files[i]);
        // The four files are independent: read them in parallel (decompression dominates).
        var tasks = new[]
        {
            Task.Run(() => Idx.ReadImages(paths[0])), Task.Run(() => Idx.ReadLabels(paths[1])),
            Task.Run(() => Idx.ReadImages(paths[2])), Task.Run(() => Idx.ReadLabels(paths[3])),
        };
        return (tasks[0].Result, tasks[1].Result, tasks[2].Result, tasks[3].Result);
    }

    private static string[] MnistFiles(string directory) =>
        [.. new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .Select(f => Path.Combine(directory, f))];

    /// <summary>The file itself or its .gz form, whichever exists.</summary>
    private static string? FindFile(string pathWithoutGz) =>
        File.Exists(pathWithoutGz + ".gz") ? pathWithoutGz + ".gz" : File.Exists(pathWithoutGz) ? pathWithoutGz : null;

    /// <summary>scikit-learn's CSV layout: a first line "rows,features,class names...", then features and an integer label per row.</summary>
    private static (Tensor, Tensor) LoadSklearnCsv(string resource)
    {
        var table = Csv.Parse(Resource(resource), resource, new CsvOptions { HasHeader = false, SkipLines = 1 });
        var (x, y) = table.ToFeaturesAndLabels(table.Columns[^1], out _);
        return (x, y);
    }

    private static StreamReader Resource(string name)
    {
        var stream = typeof(Datasets).Assembly.GetManifestResourceStream("Nerva.Data." + name)
            ?? throw new InvalidOperationException($"Datasets: the bundled resource {name} is missing from the assembly.");
        return new StreamReader(Compression.WrapMaybeGzip(stream));
    }
}

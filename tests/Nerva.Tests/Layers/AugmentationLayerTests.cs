using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;
using Resampler = Nerva.Kernels.AffineTransform;

namespace Nerva.Tests.Layers;

// Expected values are worked out by hand from Keras 3's definitions
// (keras/src/layers/preprocessing/image_preprocessing/random_{translation,rotation,zoom}.py and the
// map_coordinates of keras/src/backend/torch/image.py): output pixel (x, y) reads input
// (a0·x + a1·y + a2, b0·x + b1·y + b2); fill modes apply to each interpolation tap.
// The hand values were also checked once against Keras's numpy-backend map_coordinates (np.pad + scipy).
[Collection(GlobalRandomStateCollection.Name)]
public class AugmentationLayerTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("nerva-augmentation-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static readonly string[] FillModes = ["reflect", "wrap", "constant", "nearest"];

    /// <summary>Images [1, H, W, 1] from rows of values.</summary>
    private static Tensor Image(float[,] rows) => Tensor.FromArray(rows).Reshape(1, rows.GetLength(0), rows.GetLength(1), 1);

    private static void Close(float[] expected, float[] actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
    }

    private static IEnumerable<Layer> Augmenters(int? seed = 1) =>
    [
        new RandomTranslation(0.2f, (-0.3f, 0.1f), seed: seed),
        new RandomRotation(0.3f, seed: seed),
        new RandomZoom((-0.3f, 0.4f), seed: seed),
        // Widths always zoom out past the edge, so even nearest sampling never reproduces the input.
        new RandomZoom(0.2f, (0.4f, 0.6f), fillMode: "constant", interpolation: "nearest", seed: seed),
    ];

    [Fact]
    public void InferencePassesImagesThroughAndShapesArePreserved()
    {
        var images = Tensor.RandomNormal([3, 5, 7, 2], seed: 1);
        foreach (var layer in Augmenters())
        {
            Assert.Same(images, layer.Forward(images));
            var trained = layer.Forward(images, training: true);
            Assert.Equal([3, 5, 7, 2], trained.Shape);
            Assert.NotEqual(images.ToArray(), trained.ToArray());
        }
    }

    [Fact]
    public void ZeroFactorIsTheIdentityInTraining()
    {
        var images = Tensor.RandomNormal([2, 4, 5, 3], seed: 2);
        foreach (var fill in FillModes)
        {
            foreach (var interpolation in new[] { "bilinear", "nearest" })
            {
                Layer[] layers =
                [
                    new RandomTranslation(0f, 0f, fill, interpolation, fillValue: 9f),
                    new RandomRotation(0f, fill, interpolation, fillValue: 9f),
                    new RandomZoom(0f, fillMode: fill, interpolation: interpolation, fillValue: 9f),
                    new RandomZoom((0f, 0f), (0f, 0f), fill, interpolation, fillValue: 9f),
                ];
                foreach (var layer in layers) Assert.Equal(images.ToArray(), layer.Forward(images, training: true).ToArray());
            }
        }
    }

    [Fact]
    public void WholePixelTranslationMovesPixelsWithEachFillMode()
    {
        // Rows 10·y + x; a second channel holds the negatives, to check that channels travel together.
        var values = new float[4 * 4 * 2];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                (values[(y * 4 + x) * 2], values[(y * 4 + x) * 2 + 1]) = (10 * y + x, -(10 * y + x));
        var image = Tensor.FromArray(values, 1, 4, 4, 2);

        // heightFactor −¼ of 4 rows: the content moves up one row, so output row y reads row y + 1 and
        // the last row reads row 4: reflect → row 3, wrap → row 0, nearest → row 3, constant → k.
        var upRow = new Dictionary<string, float[]>
        {
            ["reflect"] = [30, 31, 32, 33], ["wrap"] = [0, 1, 2, 3], ["nearest"] = [30, 31, 32, 33], ["constant"] = [-7, -7, -7, -7],
        };
        // widthFactor ½ of 4 columns: the content moves right two columns, so output column x reads x − 2:
        // columns −2, −1 are b a (reflect), c d (wrap), a a (nearest), k k (constant).
        var rightTwo = new Dictionary<string, float[]>
        {
            ["reflect"] = [1, 0, 0, 1], ["wrap"] = [2, 3, 0, 1], ["nearest"] = [0, 0, 0, 1], ["constant"] = [-7, -7, 0, 1],
        };
        foreach (var fill in FillModes)
        {
            foreach (var interpolation in new[] { "nearest", "bilinear" })
            {
                var up = new RandomTranslation((-0.25f, -0.25f), 0f, fill, interpolation, fillValue: -7f).Forward(image, training: true);
                for (int y = 0; y < 4; y++)
                {
                    for (int x = 0; x < 4; x++)
                    {
                        float expected = y < 3 ? 10 * (y + 1) + x : upRow[fill][x];
                        Assert.Equal(expected, up[0, y, x, 0]);
                        Assert.Equal(fill == "constant" && y == 3 ? -7f : -expected, up[0, y, x, 1]);
                    }
                }
                var right = new RandomTranslation(0f, (0.5f, 0.5f), fill, interpolation, fillValue: -7f).Forward(image, training: true);
                for (int y = 0; y < 4; y++)
                    for (int x = 0; x < 4; x++)
                        Assert.Equal(rightTwo[fill][x] + (fill == "constant" && x < 2 ? 0 : 10 * y), right[0, y, x, 0]);
            }
        }
    }

    [Fact]
    public void BilinearSamplesAcrossTheEdgeFollowKerasFillModes()
    {
        // One row a b c d = 1 2 4 8, shifted by ±1.5 pixels so that every edge sample straddles the border.
        var image = Image(new float[,] { { 1, 2, 4, 8 } });
        // widthFactor 0.375 · 4 = +1.5: column x reads x − 1.5, so column 0 blends columns −2 and −1, column 1 blends −1 and 0.
        var right = new Dictionary<string, float[]>
        {
            ["reflect"] = [(2 + 1) / 2f, 1, 1.5f, 3],        // −2 → b, −1 → a
            ["wrap"] = [(4 + 8) / 2f, (8 + 1) / 2f, 1.5f, 3], // −2 → c, −1 → d
            ["nearest"] = [1, 1, 1.5f, 3],                   // −2, −1 → a
            ["constant"] = [5, (5 + 1) / 2f, 1.5f, 3],       // k = 5
        };
        // −1.5: column x reads x + 1.5, so column 2 blends columns 3 and 4, column 3 blends 4 and 5.
        var left = new Dictionary<string, float[]>
        {
            ["reflect"] = [3, 6, 8, (8 + 4) / 2f],           // 4 → d, 5 → c
            ["wrap"] = [3, 6, (8 + 1) / 2f, (1 + 2) / 2f],   // 4 → a, 5 → b
            ["nearest"] = [3, 6, 8, 8],                      // 4, 5 → d
            ["constant"] = [3, 6, (8 + 5) / 2f, 5],
        };
        foreach (var fill in FillModes)
        {
            Close(right[fill], new RandomTranslation(0f, (0.375f, 0.375f), fill, fillValue: 5f).Forward(image, training: true).ToArray());
            Close(left[fill], new RandomTranslation(0f, (-0.375f, -0.375f), fill, fillValue: 5f).Forward(image, training: true).ToArray());
        }
    }

    [Fact]
    public void QuarterTurnIsCounterClockwiseLikeKeras()
    {
        // Keras: a positive factor turns counter-clockwise, which for an image is numpy's rot90:
        // the transpose, then the rows in reverse order. [[a, b], [c, d]] → [[b, d], [a, c]].
        var rows = new float[4, 4];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                rows[y, x] = 4 * y + x;
        var image = Image(rows);
        var expected = new float[16];
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 4; x++)
                expected[y * 4 + x] = rows[x, 3 - y];
        Assert.Equal([3f, 7, 11, 15], expected[..4]); // the right column becomes the top row
        foreach (var fill in FillModes)
        {
            foreach (var interpolation in new[] { "nearest", "bilinear" })
            {
                var turned = new RandomRotation((0.25f, 0.25f), fill, interpolation).Forward(image, training: true);
                Close(expected, turned.ToArray());
            }
        }
        // Half a turn either way, and a clockwise quarter turn undoing a counter-clockwise one.
        var half = new RandomRotation((0.5f, 0.5f), interpolation: "nearest").Forward(image, training: true).ToArray();
        Close([.. Enumerable.Range(0, 16).Select(i => 15f - i)], half);
        var back = new RandomRotation((-0.25f, -0.25f)).Forward(Tensor.FromArray(expected, 1, 4, 4, 1), training: true);
        Close(image.ToArray(), back.ToArray());
    }

    [Fact]
    public void ZoomMatchesHandComputedBilinearValues()
    {
        // heightFactor −½ with widthFactor null zooms in by 2 on both axes (Keras: negative zooms in):
        // on 3 × 3, output x reads 0.5·x + 0.5 = 0.5, 1, 1.5 (and the same for y).
        var image = Image(new float[,] { { 0, 2, 4 }, { 6, 8, 10 }, { 12, 14, 16 } });
        var zoomedIn = new RandomZoom((-0.5f, -0.5f)).Forward(image, training: true);
        Close([4, 5, 6, 7, 8, 9, 10, 11, 12], zoomedIn.ToArray());

        // Height +½ (zoom out 1.5×), width −½ (zoom in 2×), constant fill 7 on a 3 × 4 image of 10·y + x:
        // row y reads 1.5·y − 0.5 = −0.5, 1, 2.5; column x reads 0.5·x + 0.75 = 0.75, 1.25, 1.75, 2.25.
        // Rows −0.5 and 2.5 are half fill (rows −1 and 3 lie outside): 0.5·7 + 0.5·(10·r + column).
        var grid = new float[3, 4];
        for (int y = 0; y < 3; y++)
            for (int x = 0; x < 4; x++)
                grid[y, x] = 10 * y + x;
        var mixed = new RandomZoom((0.5f, 0.5f), (-0.5f, -0.5f), "constant", fillValue: 7f).Forward(Image(grid), training: true);
        Close([3.875f, 4.125f, 4.375f, 4.625f, 10.75f, 11.25f, 11.75f, 12.25f, 13.875f, 14.125f, 14.375f, 14.625f], mixed.ToArray());
    }

    [Fact]
    public void SeedsMakeRunsRepeatable()
    {
        var images = Tensor.RandomUniform([4, 6, 6, 3], seed: 3);
        var seeded = Augmenters(seed: 7).Select(l => l.Forward(images, training: true).ToArray()).ToList();
        var again = Augmenters(seed: 7).Select(l => l.Forward(images, training: true).ToArray()).ToList();
        Assert.Equal(seeded, again);

        RandomState.SetSeed(11);
        var global = Augmenters(seed: null).Select(l => l.Forward(images, training: true).ToArray()).ToList();
        RandomState.SetSeed(11);
        var globalAgain = Augmenters(seed: null).Select(l => l.Forward(images, training: true).ToArray()).ToList();
        Assert.Equal(global, globalAgain);

        // A layer's successive batches get fresh transforms.
        var layer = new RandomRotation(0.2f, seed: 7);
        Assert.NotEqual(layer.Forward(images, training: true).ToArray(), layer.Forward(images, training: true).ToArray());
    }

    [Fact]
    public void EachImageOfABatchGetsItsOwnTransform()
    {
        var one = Tensor.RandomUniform([1, 6, 6, 2], seed: 4);
        var batch = Tensor.Concat(Enumerable.Repeat(one, 8).ToArray(), 0);
        // Bilinear only: nearest sampling can map nearby transforms to the same pixels.
        foreach (var layer in Augmenters().Where(l => ((AffineAugmentation)l).Interpolation == "bilinear"))
        {
            var images = layer.Forward(batch, training: true).Split(1, 0).Select(t => t.ToArray()).ToArray();
            for (int i = 0; i < images.Length; i++)
                for (int j = i + 1; j < images.Length; j++)
                    Assert.NotEqual(images[i], images[j]);
        }
    }

    [Fact]
    public void KernelMatchesAPerTapReferenceOfKerasMapCoordinates()
    {
        // Random affine maps with a slight perspective (c0, c1); eleven channels exercise both the vectorised channel loop and its scalar tail.
        const int n = 3, h = 5, w = 6, c = 11;
        var images = Tensor.RandomNormal([n, h, w, c], seed: 5).ToArray();
        var random = new Random(6);
        var transforms = new float[n * 8];
        for (int i = 0; i < transforms.Length; i++)
            transforms[i] = (i % 8) switch { 0 or 4 => 0.6f + (float)random.NextDouble(), 2 or 5 => 6 * (float)random.NextDouble() - 3, 6 or 7 => 0.02f * (float)random.NextDouble(), _ => (float)random.NextDouble() - 0.5f };
        foreach (var fill in FillModes)
        {
            foreach (var interpolation in new[] { "bilinear", "nearest" })
            {
                var actual = new float[images.Length];
                Resampler.Forward(images, actual, n, h, w, c, transforms, Resampler.ParseInterpolation(interpolation, "test"), Resampler.ParseFillMode(fill, "test"), 0.25f);
                Close(Reference(images, n, h, w, c, transforms, interpolation, fill, 0.25f), actual, 1e-4f);
            }
        }
    }

    /// <summary>A direct port of Keras's torch map_coordinates with its index fixers (Python's floor modulo).</summary>
    private static float[] Reference(float[] input, int n, int h, int w, int c, float[] t, string interpolation, string fill, float fillValue)
    {
        static long Mod(long a, long b) => ((a % b) + b) % b;
        static long Mirror(long index, long size) { long s = size - 1; return Math.Abs(Mod(index + s, 2 * s) - s); }
        long Fix(long index, long size) => fill switch
        {
            "wrap" => Mod(index, size),
            "reflect" => (long)Math.Floor((Mirror(2 * index + 1, 2 * size + 1) - 1) / 2.0),
            _ => Math.Clamp(index, 0, size - 1),
        };
        var output = new float[input.Length];
        for (int b = 0; b < n; b++)
        {
            var m = t.AsSpan(b * 8, 8).ToArray();
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    double k = m[6] * (double)x + m[7] * y + 1;
                    double sx = (m[0] * (double)x + m[1] * y + m[2]) / k, sy = (m[3] * (double)x + m[4] * y + m[5]) / k;
                    var taps = new List<(long Y, long X, double Weight)>();
                    if (interpolation == "nearest") taps.Add(((long)Math.Round(sy), (long)Math.Round(sx), 1));
                    else
                    {
                        long x0 = (long)Math.Floor(sx), y0 = (long)Math.Floor(sy);
                        double fx = sx - x0, fy = sy - y0;
                        taps.AddRange([(y0, x0, (1 - fy) * (1 - fx)), (y0, x0 + 1, (1 - fy) * fx), (y0 + 1, x0, fy * (1 - fx)), (y0 + 1, x0 + 1, fy * fx)]);
                    }
                    for (int ch = 0; ch < c; ch++)
                    {
                        double sum = 0;
                        foreach (var (ty, tx, weight) in taps)
                        {
                            bool valid = fill != "constant" || (ty >= 0 && ty < h && tx >= 0 && tx < w);
                            sum += weight * (valid ? input[((b * h + Fix(ty, h)) * w + Fix(tx, w)) * c + ch] : fillValue);
                        }
                        output[((b * h + y) * w + x) * c + ch] = (float)sum;
                    }
                }
            }
        }
        return output;
    }

    [Fact]
    public void GradientIsTheTransposeOfTheSampling()
    {
        var images = Tensor.RandomNormal([2, 4, 5, 3], seed: 8);
        var transforms = Tensor.FromArray([0.9f, 0.3f, -0.7f, -0.2f, 1.1f, 0.4f, 0, 0, 1.3f, 0f, -1.2f, 0f, 0.8f, 2.1f, 0, 0], 2, 8);
        foreach (var fill in FillModes)
        {
            foreach (var interpolation in new[] { "bilinear", "nearest" })
            {
                var check = GradientCheck.Run(x => x[0].AffineTransform(transforms, interpolation, fill, 0.5f), [images]);
                Assert.True(check.Passed, $"{fill}/{interpolation}: {check.Message}");
            }
        }
        // Through a layer in training, as any other op.
        var input = Tensor.RandomNormal([2, 4, 4, 1], seed: 9).RequiresGrad_();
        new RandomRotation(0.2f, seed: 1).Forward(input, training: true).Sum().Backward();
        Assert.NotNull(input.Grad);
        Assert.Equal([2, 4, 4, 1], input.Grad!.Shape);
    }

    [Fact]
    public void BadArgumentsNameTheLayer()
    {
        Assert.Contains("RandomRotation", Assert.Throws<ArgumentException>(() => new RandomRotation(0.1f, fillMode: "mirror")).Message);
        Assert.Contains("RandomZoom", Assert.Throws<ArgumentException>(() => new RandomZoom(0.1f, interpolation: "bicubic")).Message);
        Assert.Contains("heightFactor", Assert.Throws<ArgumentException>(() => new RandomTranslation(1.5f, 0f)).Message);
        Assert.Contains("heightFactor", Assert.Throws<ArgumentException>(() => new RandomZoom((-1f, 0f))).Message);
        Assert.Contains("[batch, height, width, channels]", Assert.Throws<ArgumentException>(() => new RandomRotation(0.1f).Forward(Tensor.Ones(2, 3), training: true)).Message);
        Assert.Equal((-0.2f, 0.2f), (new RandomRotation(-0.2f).Factor.Lower, new RandomRotation(-0.2f).Factor.Upper));
        Assert.Equal((0.1f, 0.3f), (new RandomZoom((0.3f, 0.1f)).HeightFactor.Lower, new RandomZoom((0.3f, 0.1f)).HeightFactor.Upper));
    }

    [Fact]
    public void FitAugmentsOnlyWhileTraining()
    {
        RandomState.SetSeed(2);
        var x = Tensor.RandomUniform([16, 6, 6, 2], seed: 11);
        var y = Tensor.FromArray([.. Enumerable.Range(0, 16).Select(i => (float)(i % 2))]);
        var model = new Sequential(new RandomTranslation(0.2f, 0.2f), new RandomRotation(0.1f), new RandomZoom(0.2f), new Flatten(), new Dense(2, "softmax"));
        model.Compile("adam", "sparse_categorical_crossentropy");
        var history = model.Fit(x, y, epochs: 2, batchSize: 8, verbose: 0);
        Assert.All(history["loss"], l => Assert.True(float.IsFinite(l)));
        // Evaluation sees the images unchanged, so it is repeatable.
        Assert.Equal(model.Predict(x).ToArray(), model.Predict(x).ToArray());
    }

    [Fact]
    public void SequentialWithAugmentationSurvivesSaveAndLoad()
    {
        var model = new Sequential(
            new RandomTranslation(0.1f, (-0.2f, 0.1f), fillMode: "wrap", seed: 3),
            new RandomRotation((0f, 0.1f), interpolation: "nearest", fillValue: 2f),
            new RandomZoom(0.2f, fillMode: "constant", fillValue: 0.5f),
            new RandomZoom((-0.1f, 0.2f), (0.05f, 0.3f), fillMode: "nearest"),
            new Flatten(), new Dense(2));
        model.Build(6, 6, 1);
        var path = Path.Combine(directory, "augment.nerva");
        model.Save(path);
        var loaded = (Sequential)Model.Load(path);
        var x = Tensor.RandomNormal([3, 6, 6, 1], seed: 10);
        Assert.Equal(model.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(model.Layers[i].GetType(), loaded.Layers[i].GetType());
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(model.Layers[i].GetConfig()), System.Text.Json.JsonSerializer.Serialize(loaded.Layers[i].GetConfig()));
        }
        var zoom = Assert.IsType<RandomZoom>(loaded.Layers[2]);
        Assert.Null(zoom.WidthFactor);
        Assert.Equal(("constant", 0.5f, -0.2f, 0.2f), (zoom.FillMode, zoom.FillValue, zoom.HeightFactor.Lower, zoom.HeightFactor.Upper));
        var translation = Assert.IsType<RandomTranslation>(loaded.Layers[0]);
        Assert.Equal((3, -0.2f, 0.1f), (translation.Seed!.Value, translation.WidthFactor.Lower, translation.WidthFactor.Upper));
        // The same seed gives the same transforms after loading.
        Assert.Equal(model.Layers[0].Forward(x, training: true).ToArray(), loaded.Layers[0].Forward(x, training: true).ToArray());
    }
}

using ActorTasks.Tasks.JobKinds;
using ActorTasks.Tasks.JobKinds.Images;
using SkiaSharp;
using Xunit;

namespace ActorTasks.Tasks.Tests.JobKinds.Images;

public sealed class ImageTransformTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static ImageRecipe Recipe(ResizeMode mode = ResizeMode.None, int width = 0, int height = 0, float brightness = 1,
        ImageFormat format = ImageFormat.Png, long maxPixels = ImagesJobKind.DefaultMaxPixels) =>
        new(mode, width, height, brightness, format, 90, maxPixels);

    /// <summary>Transforms <paramref name="input"/> and writes the result to a file, returning its path.</summary>
    private string Transform(byte[] input, ImageRecipe recipe, string name = "in")
    {
        using var data = SKData.CreateCopy(input);
        using var image = ImageTransform.Apply(data, recipe, name, CancellationToken.None);
        return _dir.Write(name + recipe.Extension, image.Encoded.ToArray());
    }

    [Theory]
    [InlineData("None", 0, 0, 400, 300)]
    [InlineData("Exact", 200, 100, 200, 100)]
    [InlineData("Exact", 800, 700, 800, 700)]
    [InlineData("Fit", 200, 100, 133, 100)]
    [InlineData("Fit", 1000, 1000, 1000, 750)]
    [InlineData("MaxSide", 100, 100, 100, 75)]
    [InlineData("MaxSide", 1000, 1000, 400, 300)]
    public void Resizes_to_the_size_the_rule_gives(string mode, int width, int height, int expectedWidth, int expectedHeight)
    {
        var output = Transform(TestImages.Jpeg(400, 300), Recipe(Enum.Parse<ResizeMode>(mode), width, height));

        var (format, w, h) = TestImages.Describe(output);
        Assert.Equal((SKEncodedImageFormat.Png, expectedWidth, expectedHeight), (format, w, h));
        // The quarters stay where they were: the image is scaled, not cropped or turned.
        AssertClose(SKColors.Red, TestImages.PixelAt(output, w / 4, h / 4), 12);
        AssertClose(SKColors.White, TestImages.PixelAt(output, w * 3 / 4, h * 3 / 4), 12);
    }

    [Fact]
    public void Keeping_the_aspect_ratio_keeps_the_shape_of_what_is_drawn()
    {
        var output = Transform(TestImages.Jpeg(1600, 900), Recipe(ResizeMode.Fit, 400, 400));

        var (_, w, h) = TestImages.Describe(output);
        Assert.Equal((400, 225), (w, h));
        Assert.Equal(1600 / 900.0, (double)w / h, 2);
    }

    [Fact]
    public void Brightness_multiplies_each_level_by_the_factor_and_clips_at_white()
    {
        byte[] levels = [40, 100, 150, 230];
        var output = Transform(TestImages.Encode(TestImages.GreyBands(400, 50, levels), SKEncodedImageFormat.Png), Recipe(brightness: 1.2f));

        var measured = levels.Select((_, i) => TestImages.PixelAt(output, i * 100 + 50, 25)).ToArray();
        Assert.All(measured, c => Assert.True(c.Red == c.Green && c.Green == c.Blue, $"{c} is not grey"));
        Assert.Equal([48, 120, 180, 255], measured.Select(c => (int)c.Red).ToArray(), new Tolerance(2));
        // Mean luminance of the bands that stay below white rises by the factor.
        var before = levels.Take(3).Average(l => (double)l);
        var after = measured.Take(3).Average(c => (double)c.Red);
        Assert.Equal(1.2, after / before, 2);
    }

    [Fact]
    public void Brightness_of_a_translucent_pixel_clips_at_its_alpha_and_keeps_the_alpha()
    {
        // Premultiplied blue, green, red, alpha: alpha 128 is the white of a half-transparent pixel.
        byte[] pixels = [50, 100, 120, 128, 10, 200, 255, 255];

        ImageTransform.Brighten(pixels, 1.2f);

        Assert.Equal([60, 120, 128, 128, 12, 240, 255, 255], pixels);
    }

    [Fact]
    public void Png_to_png_without_changes_keeps_every_pixel()
    {
        using var source = TestImages.Quadrants(64, 48);
        var output = Transform(TestImages.Encode(source, SKEncodedImageFormat.Png), Recipe());

        using var decoded = SKBitmap.Decode(output);
        for (var y = 0; y < 48; y++)
        for (var x = 0; x < 64; x++)
            Assert.Equal(source.GetPixel(x, y), decoded.GetPixel(x, y));
    }

    [Theory]
    [InlineData("Jpeg", SKEncodedImageFormat.Jpeg, ".jpg")]
    [InlineData("Webp", SKEncodedImageFormat.Webp, ".webp")]
    [InlineData("Png", SKEncodedImageFormat.Png, ".png")]
    public void Converts_to_the_format_asked_for_and_the_result_reads_back(string format, SKEncodedImageFormat expected, string extension)
    {
        var recipe = Recipe(format: Enum.Parse<ImageFormat>(format));
        var output = Transform(TestImages.Png(160, 120), recipe);

        Assert.EndsWith(extension, output, StringComparison.Ordinal);
        Assert.Equal((expected, 160, 120), TestImages.Describe(output));
        AssertClose(SKColors.Lime, TestImages.PixelAt(output, 120, 30), 16);
        AssertClose(SKColors.Blue, TestImages.PixelAt(output, 40, 90), 16);
    }

    [Fact]
    public void A_transparent_png_written_as_jpeg_is_laid_on_white()
    {
        using var clear = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Premul));
        clear.Erase(SKColors.Transparent);
        var output = Transform(TestImages.Encode(clear, SKEncodedImageFormat.Png), Recipe(format: ImageFormat.Jpeg));

        AssertClose(SKColors.White, TestImages.PixelAt(output, 16, 16), 2);
    }

    // Stored: red top-left, green top-right, blue bottom-left, white bottom-right. Shown: turned as EXIF says.
    [Theory]
    [InlineData(1, 200, 100, "Red", "Lime")]
    [InlineData(2, 200, 100, "Lime", "Red")]
    [InlineData(3, 200, 100, "White", "Blue")]
    [InlineData(4, 200, 100, "Blue", "White")]
    [InlineData(5, 100, 200, "Red", "Blue")]
    [InlineData(6, 100, 200, "Blue", "Red")]
    [InlineData(7, 100, 200, "White", "Lime")]
    [InlineData(8, 100, 200, "Lime", "White")]
    public void Exif_orientation_turns_the_image_the_right_way_up(ushort orientation, int width, int height, string topLeft, string topRight)
    {
        var output = Transform(TestImages.WithExifOrientation(TestImages.Jpeg(200, 100), orientation), Recipe());

        var (_, w, h) = TestImages.Describe(output);
        Assert.Equal((width, height), (w, h));
        AssertClose(Named(topLeft), TestImages.PixelAt(output, w / 8, h / 8), 16);
        AssertClose(Named(topRight), TestImages.PixelAt(output, w * 7 / 8, h / 8), 16);
    }

    [Fact]
    public void Exif_orientation_applies_before_the_resize_so_the_size_is_the_shown_one()
    {
        var output = Transform(TestImages.WithExifOrientation(TestImages.Jpeg(400, 200), 6), Recipe(ResizeMode.Exact, 50, 80));

        Assert.Equal((SKEncodedImageFormat.Png, 50, 80), TestImages.Describe(output));
        AssertClose(SKColors.Blue, TestImages.PixelAt(output, 6, 10), 16);
    }

    [Fact]
    public void A_colour_profile_is_converted_to_srgb()
    {
        // sRGB grey 128 stored in linear light is 55: an image that kept its stored values would read 55.
        using var linear = SKColorSpace.CreateSrgbLinear();
        using var bitmap = new SKBitmap(new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Opaque, linear));
        bitmap.Erase(new SKColor(128, 128, 128));
        var jpeg = TestImages.Encode(bitmap, SKEncodedImageFormat.Jpeg, 100);
        using (var codec = SKCodec.Create(new SKMemoryStream(jpeg)))
        {
            Assert.True(codec.Info.ColorSpace?.GammaIsLinear, "the test image should carry a linear profile");
            var raw = new SKImageInfo(32, 32, SKColorType.Rgba8888, SKAlphaType.Opaque);
            using var stored = new SKBitmap(raw);
            Assert.Equal(SKCodecResult.Success, codec.GetPixels(raw, stored.GetPixels()));
            Assert.InRange(stored.GetPixel(16, 16).Red, 52, 58);
        }

        var output = Transform(jpeg, Recipe());

        Assert.InRange(TestImages.PixelAt(output, 16, 16).Red, 125, 131);
    }

    [Fact]
    public void A_file_that_is_not_an_image_fails_naming_it_and_the_decoder()
    {
        var e = Assert.Throws<TaskInputException>(() => Transform("this is a text file, not a JPEG"u8.ToArray(), Recipe(), "notes.jpg"));

        Assert.StartsWith("notes.jpg: not an image", e.Message);
        Assert.Contains("decoder:", e.Message);
    }

    [Fact]
    public void A_truncated_image_fails_as_truncated()
    {
        var jpeg = TestImages.Jpeg(400, 300);

        var e = Assert.Throws<TaskInputException>(() => Transform(jpeg[..(jpeg.Length / 2)], Recipe(), "cut.jpg"));

        Assert.Equal("cut.jpg: the image is truncated (decoder: IncompleteInput)", e.Message);
    }

    [Fact]
    public void An_image_over_the_pixel_limit_is_refused_before_it_is_decoded()
    {
        // 2.5 billion pixels: decoding would need 10 GB. The header alone refuses it.
        var e = Assert.Throws<TaskInputException>(() => Transform(TestImages.PngClaiming(50_000, 50_000), Recipe(), "bomb.png"));
        Assert.Equal("bomb.png: 50000x50000 is 2,500,000,000 pixels, more than the limit of 100,000,000 (--max-pixels); not decoded", e.Message);

        var small = Assert.Throws<TaskInputException>(() => Transform(TestImages.Png(400, 300), Recipe(maxPixels: 100_000), "big.png"));
        Assert.Contains("120,000 pixels, more than the limit of 100,000", small.Message);
        Assert.Equal((SKEncodedImageFormat.Png, 400, 300), TestImages.Describe(Transform(TestImages.Png(400, 300), Recipe(maxPixels: 120_000))));
    }

    public void Dispose() => _dir.Dispose();

    private static SKColor Named(string name) => name switch
    {
        "Red" => SKColors.Red,
        "Lime" => SKColors.Lime,
        "Blue" => SKColors.Blue,
        _ => SKColors.White,
    };

    private static void AssertClose(SKColor expected, SKColor actual, int tolerance) =>
        Assert.True(Math.Abs(expected.Red - actual.Red) <= tolerance && Math.Abs(expected.Green - actual.Green) <= tolerance
            && Math.Abs(expected.Blue - actual.Blue) <= tolerance, $"expected about {expected}, got {actual}");

    private sealed class Tolerance(int by) : IEqualityComparer<int>
    {
        public bool Equals(int x, int y) => Math.Abs(x - y) <= by;

        public int GetHashCode(int obj) => 0;
    }
}

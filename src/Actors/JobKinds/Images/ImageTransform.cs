using System.Globalization;
using SkiaSharp;

namespace ActorTasks.Tasks.JobKinds.Images;

/// <summary>An encoded output image and the sizes it came from and went to (both the right way up).</summary>
internal sealed class TransformedImage(SKData encoded, int inputWidth, int inputHeight, int width, int height) : IDisposable
{
    public SKData Encoded { get; } = encoded;

    public int InputWidth { get; } = inputWidth;

    public int InputHeight { get; } = inputHeight;

    public int Width { get; } = width;

    public int Height { get; } = height;

    public void Dispose() => Encoded.Dispose();
}

/// <summary>
/// One image through Skia: decode, turn the right way up (EXIF orientation), resize, brighten, encode. Colour profiles
/// are converted to sRGB while decoding, and the output is sRGB.
/// </summary>
/// <remarks>
/// A JPEG (or WebP) that is to shrink is decoded at the smallest scale its decoder offers that is still at least the
/// output size (libjpeg-turbo scales by n/8 inside the inverse DCT, a proper low-pass), which saves most of the decoding
/// and resampling; the rest of the way is bilinear (it shrinks by less than half), trilinear mipmaps when it still shrinks
/// by more than half (a PNG), or a Catmull-Rom cubic when it enlarges. Brightness multiplies the sRGB-encoded channels,
/// as Pillow's ImageEnhance.Brightness does.
/// </remarks>
internal static class ImageTransform
{
    /// <summary>Transforms the encoded image <paramref name="input"/>; bad input throws <see cref="TaskInputException"/> naming <paramref name="name"/>.</summary>
    public static TransformedImage Apply(SKData input, ImageRecipe recipe, string name, CancellationToken cancellationToken)
    {
        // The codec owns the stream; the stream reads the data without copying it.
        using var codec = SKCodec.Create(new SKMemoryStream(input), out var opened)
            ?? throw new TaskInputException($"{name}: not an image that can be read (PNG, JPEG, WebP, GIF, BMP, ICO, WBMP; decoder: {opened})");
        var info = codec.Info;
        var pixels = (long)info.Width * info.Height;
        if (pixels > recipe.MaxPixels)
        {
            throw new TaskInputException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {info.Width}x{info.Height} is {pixels:N0} pixels, more than the limit of {recipe.MaxPixels:N0} (--max-pixels); not decoded"));
        }

        var origin = codec.EncodedOrigin;
        var turned = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var (inputWidth, inputHeight) = turned ? (info.Height, info.Width) : (info.Width, info.Height);
        var (width, height) = recipe.OutputSize(inputWidth, inputHeight);
        var (encodedWidth, encodedHeight) = turned ? (height, width) : (width, height);

        var decodeSize = DecodeSize(codec, encodedWidth, encodedHeight);
        var alpha = info.AlphaType == SKAlphaType.Opaque ? SKAlphaType.Opaque : SKAlphaType.Premul;
        using var srgb = SKColorSpace.CreateSrgb();
        var decodeInfo = new SKImageInfo(decodeSize.Width, decodeSize.Height, SKImageInfo.PlatformColorType, alpha, srgb);
        using var decoded = new SKBitmap(decodeInfo);
        cancellationToken.ThrowIfCancellationRequested();
        var result = codec.GetPixels(decodeInfo, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            throw new TaskInputException(result == SKCodecResult.IncompleteInput
                ? $"{name}: the image is truncated (decoder: {result})"
                : $"{name}: the image could not be decoded (decoder: {result})");
        }
        cancellationToken.ThrowIfCancellationRequested();

        // JPEG has no alpha: a transparent image is laid on white, as a viewer would show it.
        var outputAlpha = recipe.Format == ImageFormat.Jpeg ? SKAlphaType.Opaque : alpha;
        using var output = new SKBitmap(new SKImageInfo(width, height, SKImageInfo.PlatformColorType, outputAlpha, srgb));
        using (var canvas = new SKCanvas(output))
        {
            if (alpha != SKAlphaType.Opaque) canvas.Clear(outputAlpha == SKAlphaType.Opaque ? SKColors.White : SKColors.Transparent);
            var (uprightWidth, uprightHeight) = turned ? (decodeSize.Height, decodeSize.Width) : (decodeSize.Width, decodeSize.Height);
            var upright = Orientation(origin, decodeSize.Width, decodeSize.Height);
            canvas.SetMatrix(SKMatrix.CreateScale((float)width / uprightWidth, (float)height / uprightHeight).PreConcat(upright));
            using var pixmap = decoded.PeekPixels();
            using var image = SKImage.FromPixels(pixmap);
            var scale = Math.Min((float)width / uprightWidth, (float)height / uprightHeight);
            var sampling = scale switch
            {
                < 0.5f => new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear),
                < 1f => new SKSamplingOptions(SKFilterMode.Linear),
                _ => new SKSamplingOptions(SKCubicResampler.CatmullRom),
            };
            canvas.DrawImage(image, 0, 0, sampling);
        }
        using var outputPixels = output.PeekPixels();
        if (recipe.Brightness != 1f) Brighten(outputPixels.GetPixelSpan(), recipe.Brightness);
        cancellationToken.ThrowIfCancellationRequested();

        var encoded = recipe.Format switch
        {
            ImageFormat.Jpeg => outputPixels.Encode(new SKJpegEncoderOptions(recipe.Quality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
            ImageFormat.Webp => outputPixels.Encode(new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, recipe.Quality)),
            // zlib level 6 with adaptive filters: the defaults of libpng and of Pillow.
            _ => outputPixels.Encode(new SKPngEncoderOptions(SKPngEncoderFilterFlags.AllFilters, 6)),
        } ?? throw new InvalidOperationException($"{name}: the {recipe.Format} encoder failed on a {width}x{height} image");
        return new TransformedImage(encoded, inputWidth, inputHeight, width, height);
    }

    /// <summary>
    /// The size to decode at: the smallest scale the decoder offers (n/8 for JPEG) that is still at least
    /// <paramref name="width"/> × <paramref name="height"/>, or the full size.
    /// </summary>
    private static SKSizeI DecodeSize(SKCodec codec, int width, int height)
    {
        var full = codec.Info.Size;
        var scale = Math.Max((double)width / full.Width, (double)height / full.Height);
        for (var eighths = (int)Math.Ceiling(scale * 8); eighths < 8; eighths++)
        {
            var scaled = codec.GetScaledDimensions(eighths / 8f);
            if (scaled.Width >= width && scaled.Height >= height) return scaled;
        }
        return full;
    }

    /// <summary>
    /// Multiplies blue, green and red of premultiplied 8-bit pixels by <paramref name="factor"/>, clipping at the pixel's
    /// alpha: that is the premultiplied form of the colour brightened and clipped at white. Alpha is left as it is.
    /// </summary>
    internal static void Brighten(Span<byte> pixels, float factor)
    {
        Span<byte> opaque = stackalloc byte[256];
        for (var v = 0; v < 256; v++) opaque[v] = (byte)Math.Min(255, (int)MathF.Round(v * factor));
        for (var i = 0; i + 3 < pixels.Length; i += 4)
        {
            var alpha = pixels[i + 3];
            if (alpha == 255)
            {
                pixels[i] = opaque[pixels[i]];
                pixels[i + 1] = opaque[pixels[i + 1]];
                pixels[i + 2] = opaque[pixels[i + 2]];
                continue;
            }
            for (var c = i; c < i + 3; c++) pixels[c] = (byte)Math.Min(alpha, (int)MathF.Round(pixels[c] * factor));
        }
    }

    /// <summary>
    /// Maps a decoded image of <paramref name="width"/> × <paramref name="height"/>, stored as <paramref name="origin"/>
    /// says (EXIF orientation 1–8), onto the same image the right way up.
    /// </summary>
    internal static SKMatrix Orientation(SKEncodedOrigin origin, int width, int height) => origin switch
    {
        SKEncodedOrigin.TopRight => new SKMatrix(-1, 0, width, 0, 1, 0, 0, 0, 1),
        SKEncodedOrigin.BottomRight => new SKMatrix(-1, 0, width, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.BottomLeft => new SKMatrix(1, 0, 0, 0, -1, height, 0, 0, 1),
        SKEncodedOrigin.LeftTop => new SKMatrix(0, 1, 0, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightTop => new SKMatrix(0, -1, height, 1, 0, 0, 0, 0, 1),
        SKEncodedOrigin.RightBottom => new SKMatrix(0, -1, height, -1, 0, width, 0, 0, 1),
        SKEncodedOrigin.LeftBottom => new SKMatrix(0, 1, 0, -1, 0, width, 0, 0, 1),
        _ => SKMatrix.Identity,
    };
}

using System.Buffers.Binary;
using SkiaSharp;

namespace ActorTasks.Tasks.Tests.JobKinds.Images;

/// <summary>Images the tests make with Skia, and the few bytes a test needs to craft by hand (an EXIF orientation, a PNG header).</summary>
internal static class TestImages
{
    /// <summary>Red top-left, green top-right, blue bottom-left and white bottom-right quarters.</summary>
    public static SKBitmap Quadrants(int width, int height)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using var paint = new SKPaint();
        (SKColor Color, int X, int Y)[] quarters = [(SKColors.Red, 0, 0), (SKColors.Lime, 1, 0), (SKColors.Blue, 0, 1), (SKColors.White, 1, 1)];
        foreach (var (color, x, y) in quarters)
        {
            paint.Color = color;
            canvas.DrawRect(x * width / 2f, y * height / 2f, width / 2f, height / 2f, paint);
        }
        return bitmap;
    }

    /// <summary>Vertical bands of the given grey levels, left to right.</summary>
    public static SKBitmap GreyBands(int width, int height, params byte[] levels)
    {
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (var x = 0; x < width; x++)
        {
            var level = levels[x * levels.Length / width];
            for (var y = 0; y < height; y++) bitmap.SetPixel(x, y, new SKColor(level, level, level));
        }
        return bitmap;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    public static byte[] Jpeg(int width, int height) => Encode(Quadrants(width, height), SKEncodedImageFormat.Jpeg);

    public static byte[] Png(int width, int height) => Encode(Quadrants(width, height), SKEncodedImageFormat.Png);

    /// <summary>The JPEG with an EXIF APP1 segment right after its start marker, holding only an orientation (1–8).</summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        byte[] exif =
        [
            0xFF, 0xE1, 0x00, 0x22, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0,
            (byte)'I', (byte)'I', 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,      // TIFF header, little-endian; IFD0 at 8
            0x01, 0x00,                                                     // one entry
            0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,                 // 0x0112 Orientation, SHORT, count 1
            (byte)orientation, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,                                         // no next IFD
        ];
        return [.. jpeg.AsSpan(0, 2), .. exif, .. jpeg.AsSpan(2)];
    }

    /// <summary>A real PNG whose header claims <paramref name="width"/> × <paramref name="height"/> (its CRC fixed), as a decompression bomb does.</summary>
    public static byte[] PngClaiming(int width, int height)
    {
        var png = Png(8, 8);
        // Signature (8 bytes), then IHDR: length (4), "IHDR" (4), width (4), height (4), 5 more bytes, CRC over type and data.
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), Crc32(png.AsSpan(12, 17)));
        return png;
    }

    /// <summary>The colour of pixel (x, y) of the image in <paramref name="path"/>, decoded as it is stored.</summary>
    public static SKColor PixelAt(string path, int x, int y)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new InvalidDataException($"{path} does not decode");
        return bitmap.GetPixel(x, y);
    }

    /// <summary>The format and size the file at <paramref name="path"/> decodes to.</summary>
    public static (SKEncodedImageFormat Format, int Width, int Height) Describe(string path)
    {
        using var codec = SKCodec.Create(path) ?? throw new InvalidDataException($"{path} is not an image");
        using var bitmap = SKBitmap.Decode(codec) ?? throw new InvalidDataException($"{path} does not decode");
        return (codec.EncodedFormat, bitmap.Width, bitmap.Height);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}

namespace ActorTasks.Tasks.JobKinds.Images;

/// <summary>The format an image is written in.</summary>
internal enum ImageFormat
{
    Png,
    Jpeg,
    Webp,
}

/// <summary>How the output size follows from the input's: kept, exactly WxH, fitted inside WxH, or the longest side at most N.</summary>
internal enum ResizeMode
{
    None,
    Exact,
    Fit,
    MaxSide,
}

/// <summary>What an images job does to every image: the size rule, the brightness factor, the output format and its quality, and the pixel limit.</summary>
/// <param name="Width">The width of <see cref="ResizeMode.Exact"/> and <see cref="ResizeMode.Fit"/>; the longest side of <see cref="ResizeMode.MaxSide"/>.</param>
/// <param name="Brightness">Each colour channel is multiplied by this and clipped at white (1 leaves the image as it is).</param>
/// <param name="Quality">1–100, for JPEG and WebP.</param>
/// <param name="MaxPixels">An image with more pixels than this is refused before it is decoded.</param>
internal sealed record ImageRecipe(ResizeMode Mode, int Width, int Height, float Brightness, ImageFormat Format, int Quality, long MaxPixels)
{
    /// <summary>The output file's extension, with its dot.</summary>
    public string Extension => Format switch
    {
        ImageFormat.Jpeg => ".jpg",
        ImageFormat.Webp => ".webp",
        _ => ".png",
    };

    /// <summary>The output size of an image that is <paramref name="width"/> × <paramref name="height"/> the right way up.</summary>
    public (int Width, int Height) OutputSize(int width, int height)
    {
        switch (Mode)
        {
            case ResizeMode.Exact:
                return (Width, Height);
            case ResizeMode.Fit:
                return Scaled(width, height, Math.Min((double)Width / width, (double)Height / height));
            case ResizeMode.MaxSide:
                var longest = Math.Max(width, height);
                return longest <= Width ? (width, height) : Scaled(width, height, (double)Width / longest);
            default:
                return (width, height);
        }
    }

    private static (int, int) Scaled(int width, int height, double scale) =>
        (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
}

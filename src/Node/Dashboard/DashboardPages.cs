using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTasks.Node.Dashboard;

/// <summary>The page, its script and its style, embedded in the assembly (Dashboard/wwwroot): one page whose views are chosen by the URL's fragment.</summary>
internal static class DashboardPages
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/", context => WriteAsync(context, "index.html"));
        app.MapGet("/dashboard.js", context => WriteAsync(context, "dashboard.js"));
        app.MapGet("/dashboard.css", context => WriteAsync(context, "dashboard.css"));
    }

    public static async Task WriteAsync(HttpContext context, string file)
    {
        await using var resource = typeof(DashboardPages).Assembly.GetManifestResourceStream($"ActorTasks.Dashboard.{file}")
            ?? throw new InvalidOperationException($"the dashboard's {file} is not embedded in the build");
        context.Response.ContentType = ContentTypes[Path.GetExtension(file)];
        context.Response.Headers.CacheControl = "no-cache";
        await resource.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}

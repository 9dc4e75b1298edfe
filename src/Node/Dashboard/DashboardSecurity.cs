using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ActorTasks.Node.Dashboard;

/// <summary>
/// What every request passes before the dashboard answers it: a POST must come from the dashboard's own page (a
/// same-origin check on <c>Sec-Fetch-Site</c> and <c>Origin</c>, so another site cannot make a logged-in browser submit
/// or cancel), and, when the dashboard has a token, the token as <c>Authorization: Bearer</c> or in the cookie the
/// login form sets.
/// </summary>
internal static class DashboardSecurity
{
    public const string CookieName = "actortasks-dashboard";

    public static void Use(WebApplication app, string? token)
    {
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            // The page's scripts come from the dashboard only, so even an escaping mistake cannot run injected script.
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method) && CrossSite(context.Request) is { } why)
            {
                await DashboardApi.ErrorAsync(context, StatusCodes.Status403Forbidden, why);
                return;
            }
            // The style sheet holds nothing of the cluster's, and the login page needs it.
            if (token is null || context.Request.Path == "/dashboard.css")
            {
                await next(context);
                return;
            }
            if (context.Request.Path == "/login" && HttpMethods.IsPost(context.Request.Method))
            {
                await LoginAsync(context, token);
                return;
            }
            if (Presented(context.Request) is { } given && Matches(given, token))
            {
                await next(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            if (IsForPeople(context.Request)) await DashboardPages.WriteAsync(context, "login.html");
            else await DashboardApi.ErrorAsync(context, StatusCodes.Status401Unauthorized,
                "this dashboard needs its token (actortasks.dashboard.token): send it as 'Authorization: Bearer TOKEN', or log in on the page");
        });
    }

    private static async Task LoginAsync(HttpContext context, string token)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync(context.RequestAborted) : null;
        if (form?["token"].ToString() is { Length: > 0 } given && Matches(given, token))
        {
            context.Response.Cookies.Append(CookieName, given, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/",
            });
            context.Response.Redirect("/", permanent: false);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await DashboardPages.WriteAsync(context, "login.html");
    }

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        return request.Cookies.TryGetValue(CookieName, out var cookie) ? cookie : null;
    }

    private static bool Matches(string given, string token) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));

    private static bool IsForPeople(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api") && !request.Path.StartsWithSegments("/metrics");

    // Browsers send Sec-Fetch-Site (and Origin) with every POST; a script or curl sends neither and must then hold the
    // token itself (or be on loopback), which a page of another site cannot make a browser do.
    private static string? CrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
            return $"refused: a {request.Method} from another site (Sec-Fetch-Site: {site}); use the dashboard's own page";
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase))
            return $"refused: a {request.Method} from another origin ({origin}); use the dashboard's own page";
        return null;
    }
}

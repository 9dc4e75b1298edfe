using System.Net;
using System.Net.Http.Headers;
using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using Xunit;

namespace ActorTasks.Node.Tests.Dashboard;

/// <summary>A dashboard with a token: nothing without it; with it as a bearer header, or once through the login form and then from its HttpOnly cookie.</summary>
public sealed class DashboardTokenTests : IAsyncLifetime
{
    private const string Token = "a-long-random-token";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _logs = Directory.CreateTempSubdirectory("actortasks-dashboard-token-").FullName;
    private NodeHost? _seed;

    private Uri Url => _seed!.Dashboard!.Url;

    public async Task InitializeAsync()
    {
        _seed = await NodeHost.StartAsync(NodeRole.Seed,
            InProcessNodes.Config("seed", _logs, $"actortasks.dashboard {{ enabled = on, port = 0, token = \"{Token}\" }}"), null, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_seed is not null) await _seed.DisposeAsync();
        Directory.Delete(_logs, recursive: true);
    }

    [Fact]
    public async Task Without_the_token_the_api_metrics_and_page_answer_401_and_the_page_asks_for_it()
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = Timeout };
        foreach (var path in new[] { "/api/jobs", "/api/nodes", "/metrics", "/api/events" })
        {
            var response = await http.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains("actortasks.dashboard.token", await response.Content.ReadAsStringAsync());
        }
        var page = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        Assert.Contains("<form method=\"post\" action=\"/login\">", await page.Content.ReadAsStringAsync());
        // Only the style sheet, which the login page uses, comes without the token.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard.css")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/dashboard.js")).StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/jobs");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        var badLogin = await http.PostAsync("/login", new FormUrlEncodedContent([new("token", "guess")]));
        Assert.Equal(HttpStatusCode.Unauthorized, badLogin.StatusCode);
        Assert.False(badLogin.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task The_token_as_a_bearer_header_or_once_through_the_login_form_opens_everything()
    {
        using (var api = new HttpClient { BaseAddress = Url, Timeout = Timeout })
        {
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/jobs")).StatusCode);
            Assert.Contains("actortasks_jobs", await api.GetStringAsync("/metrics"));
        }

        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Url, Timeout = Timeout };
        var login = await browser.PostAsync("/login", new FormUrlEncodedContent([new("token", Token)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/jobs")).StatusCode);
        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script src=\"/dashboard.js\" defer></script>", await page.Content.ReadAsStringAsync());
    }
}

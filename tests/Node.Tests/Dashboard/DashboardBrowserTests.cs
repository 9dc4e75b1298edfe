using ActorTasks.Node.Hosting;
using ActorTasks.Node.Tests.Support;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Xunit;
using Xunit.Abstractions;

namespace ActorTasks.Node.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by Selenium): a seed in this
/// process, a worker in this process and one as a process, so that one can be killed with the cluster keeping its majority.
/// </summary>
[Collection(NodeProcessCollection.Name)]
public sealed class DashboardBrowserTests(ITestOutputHelper log) : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium", ChromeDriver = "/usr/bin/chromedriver";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _folder = Directory.CreateTempSubdirectory("actortasks-browser-").FullName;
    private readonly NodeProcesses _processes = new(log, Timeout, "-D", "actortasks.log.console=off");
    private NodeHost? _seed, _worker;
    private NodeProcess? _workerProcess;
    private string _workerProcessAddress = "";
    private ChromeDriver? _driver;

    private static bool HasChromium() => File.Exists(Chromium) && File.Exists(ChromeDriver);

    private ChromeDriver Driver => _driver!;

    public async Task InitializeAsync()
    {
        if (!HasChromium()) return;
        _seed = await NodeHost.StartAsync(NodeRole.Seed, InProcessNodes.Config("seed", _folder, "actortasks.dashboard { enabled = on, port = 0 }"), null, CancellationToken.None);
        _worker = await NodeHost.StartAsync(NodeRole.Worker, InProcessNodes.Config("worker", _folder), InProcessNodes.Endpoint(_seed), CancellationToken.None);
        (_workerProcess, _workerProcessAddress) = await _processes.StartAsync("worker", "worker", "--join", InProcessNodes.Endpoint(_seed).ToString(),
            "-D", $"actortasks.log.file-directory={_folder}", "-D", "actortasks.tasks.consumers-per-node=2");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Chromium };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1000",
            $"--user-data-dir={Path.Combine(_folder, "chromium")}");
        _driver = new ChromeDriver(service, options, Timeout);
        _driver.Manage().Timeouts().PageLoad = Timeout;
        log.WriteLine($"dashboard at {_seed.Dashboard!.Url}");
    }

    public async Task DisposeAsync()
    {
        _driver?.Quit();
        _driver?.Dispose();
        await _processes.DisposeAsync();
        if (_worker is not null) await _worker.DisposeAsync();
        if (_seed is not null) await _seed.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private void Open(string fragment) => Driver.Navigate().GoToUrl(new Uri(_seed!.Dashboard!.Url, fragment).ToString());

    /// <summary>Waits until <paramref name="condition"/> holds on the page (it changes by itself, through its events), failing with what the page showed.</summary>
    private T Until<T>(Func<IWebDriver, T> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Timeout) { PollingInterval = TimeSpan.FromMilliseconds(100) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        try
        {
            return wait.Until(condition);
        }
        catch (WebDriverTimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the page never showed {what}; it showed:\n{Driver.FindElement(By.TagName("main")).Text}");
        }
    }

    private string Text(string id) => Driver.FindElement(By.Id(id)).Text;

    private void SubmitFromTheForm(string kind, string arguments)
    {
        Open("#/submit");
        Until(d => d.FindElements(By.CssSelector($"#kind option[value='{kind}']")).Count == 1, $"the kind {kind} in the form");
        Driver.FindElement(By.CssSelector($"#kind option[value='{kind}']")).Click();
        var input = Driver.FindElement(By.Id("arguments"));
        input.Clear();
        input.SendKeys(arguments);
        Driver.FindElement(By.Id("submit-button")).Click();
    }

    private string JobRowState(string id) => Driver.FindElement(By.CssSelector($"#jobs tr[data-job='{id}'] td.state")).Text;

    [SkippableFact]
    public async Task Submits_from_the_form_follows_the_bar_to_100_percent_cancels_a_job_and_shows_a_script_argument_as_text()
    {
        Skip.IfNot(HasChromium(), $"no {Chromium} or {ChromeDriver}: apt-get install chromium chromium-driver to run this test (.ci/run installs them)");

        SubmitFromTheForm("primes", "abc");
        Assert.Equal("rejected: TO: is missing (usage: primes FROM TO [--chunk N])", Until(d => Text("submit-error") is { Length: > 0 } e ? e : null, "the refusal next to the form"));
        Assert.StartsWith("primes FROM TO", Text("usage"));

        SubmitFromTheForm("hash", "400 --rounds 3000");
        Until(d => d.Url.EndsWith("#/jobs/1", StringComparison.Ordinal), "the new job's page");
        Until(d => Text("job-percent") == "100 %" && Text("job-state") == "Completed", "the bar at 100 % and the job Completed");
        Assert.Equal("400 done, 0 failed of 400", Text("job-counts").Split(" · ")[0]);
        var perNode = Driver.FindElements(By.CssSelector("#job-nodes tbody tr")).Select(r => r.Text.Split(' ')).ToList();
        Assert.All(perNode, r => Assert.StartsWith("akka.tcp://tasks@127.0.0.1:", r[0]));
        Assert.Equal(400, perNode.Sum(r => long.Parse(r[1], System.Globalization.CultureInfo.InvariantCulture)));
        Until(d => Text("job-lines").Length > 0, "the job's result lines");
        Assert.EndsWith("/api/jobs/1/results?format=text", Driver.FindElement(By.Id("download-text")).GetAttribute("href"));
        Assert.Single(Driver.FindElements(By.CssSelector("#job-chart polyline")));
        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard-job.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        Driver.GetScreenshot().SaveAsFile(screenshot);
        log.WriteLine($"screenshot of the job page: {screenshot}");

        SubmitFromTheForm("hash", "10000000 --rounds 100000");
        Until(d => d.Url.EndsWith("#/jobs/2", StringComparison.Ordinal), "the second job's page");
        Open("#/jobs");
        Until(d => JobRowState("2") == "Running", "job 2 running in the list");
        Until(d =>
        {
            d.FindElement(By.CssSelector("#jobs tr[data-job='2'] button.cancel")).Click();
            return true;
        }, "job 2's cancel button");
        Until(d => JobRowState("2") == "Cancelled", "job 2 cancelled in the list");
        Assert.Equal("Completed", JobRowState("1"));

        const string script = "<script>alert(1)</script>";
        var page = Path.Combine(_folder, "page.html");
        await File.WriteAllTextAsync(page, $"<html>{script}</html>\n");
        SubmitFromTheForm("grep", $"'{script}' '{page}'");
        Until(d => d.Url.EndsWith("#/jobs/3", StringComparison.Ordinal), "the grep job's page");
        Until(d => Text("job-args").StartsWith(script, StringComparison.Ordinal), "the argument as text on the job's page");
        Open("#/jobs");
        Until(d => d.FindElement(By.CssSelector("#jobs tr[data-job='3'] td.arguments")).Text.StartsWith(script, StringComparison.Ordinal), "the argument as text in the list");
        Assert.Empty(Driver.FindElements(By.CssSelector("main script")));
        Assert.Throws<NoAlertPresentException>(() => Driver.SwitchTo().Alert());
    }

    [SkippableFact]
    public void A_killed_worker_turns_unreachable_then_goes_from_the_cluster_page_without_a_reload()
    {
        Skip.IfNot(HasChromium(), $"no {Chromium} or {ChromeDriver}: apt-get install chromium chromium-driver to run this test (.ci/run installs them)");
        Open("#/cluster");
        var row = $"#nodes tr[data-address$='@{_workerProcessAddress}']";
        // The table is drawn again at each update: each look reads the rows afresh.
        Until(d => d.FindElements(By.CssSelector("#nodes tbody tr")).Count == 3
            && d.FindElements(By.CssSelector("#nodes td.status")).All(s => s.Text == "Up")
            && d.FindElement(By.CssSelector($"{row} td.reachable")).Text == "yes", "three members Up, the worker process reachable");
        // The page is not loaded again from here on: what changes comes through its events.
        Driver.ExecuteScript("window.notReloaded = true;");

        _workerProcess!.KillHard();
        Until(d => d.FindElement(By.CssSelector($"{row} td.reachable")).Text == "unreachable"
            && d.FindElement(By.CssSelector(row)).GetAttribute("class")!.Contains("unreachable", StringComparison.Ordinal), "the killed worker unreachable");
        Until(d => d.FindElements(By.CssSelector(row)).Count == 0 && d.FindElements(By.CssSelector("#nodes tbody tr")).Count == 2, "the killed worker removed");
        Assert.Equal(true, Driver.ExecuteScript("return window.notReloaded === true;"));
    }
}

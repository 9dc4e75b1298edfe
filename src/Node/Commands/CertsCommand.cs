using System.CommandLine;
using System.Globalization;
using ActorTasks.Node.Configuration;
using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Commands;

/// <summary>
/// <c>actortasks certs new DIR [--name N] [--days D]</c>: makes the cluster's certificate, <c>DIR/cluster.pfx</c>, which
/// every node is given (<c>--tls-cert</c>); its password comes from <c>ACTORTASKS_TLS_PASSWORD</c>, or is asked for.
/// </summary>
public static class CertsCommand
{
    /// <summary>The file name of the cluster certificate inside DIR.</summary>
    public const string FileName = "cluster.pfx";

    /// <summary>Reads the password when the environment has none (a test replaces it; null: prompt on the terminal).</summary>
    internal static Func<string?>? PasswordPrompt { get; set; }

    public static Command Create()
    {
        var folder = new Argument<string>("DIR") { Description = "Folder to write cluster.pfx into (created if missing)" };
        var name = new Option<string>("--name") { Description = "The certificate's subject name", DefaultValueFactory = _ => "actortasks-cluster" };
        var days = new Option<int>("--days") { Description = "Days the certificate is valid", DefaultValueFactory = _ => 825 };
        var create = new Command("new", $"Make a cluster certificate, DIR/{FileName}: give it to every node (--tls-cert); nodes with another certificate, or none, are refused");
        create.Arguments.Add(folder);
        create.Options.Add(name);
        create.Options.Add(days);
        create.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var directory = parseResult.GetValue(folder)!;
            var subject = parseResult.GetValue(name)!;
            var validDays = parseResult.GetValue(days);
            if (validDays is < 1 or > 3650)
            {
                error.WriteLine($"--days: expected 1 to 3650, not {validDays}");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            if (subject.Length == 0 || subject.Any(c => char.IsControl(c) || c is ',' or '=' or '+' or '"' or '\\' or '<' or '>' or ';'))
            {
                error.WriteLine($"--name: expected a plain name such as actortasks-cluster, not '{subject}'");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            var password = Environment.GetEnvironmentVariable(NodeSettings.TlsPasswordVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : (PasswordPrompt ?? Prompt)();
            if (string.IsNullOrEmpty(password))
            {
                error.WriteLine($"a password is needed: set {NodeSettings.TlsPasswordVariable} (nodes read it from there too), or run this in a terminal to be asked");
                return NodeConfigOptions.BadConfigurationExitCode;
            }
            var path = Path.Combine(Path.GetFullPath(directory), FileName);
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                if (File.Exists(path))
                {
                    error.WriteLine($"{path} exists already; remove it first (every node must then get the new one)");
                    return NodeCommandOptions.FailedExitCode;
                }
                using var certificate = NodeTls.Create(path, password, subject, TimeSpan.FromDays(validDays));
                output.WriteLine($"wrote {path}");
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  subject CN={subject}, thumbprint {certificate.Thumbprint}, valid until {certificate.NotAfter:yyyy-MM-dd}"));
                output.WriteLine($"give it to every node: actortasks seed --tls-cert {path}   (and {NodeSettings.TlsPasswordVariable} in each node's environment)");
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"DIR {directory}: {e.Message}");
                return NodeCommandOptions.FailedExitCode;
            }
        });
        var command = new Command("certs", "Make the certificate that lets nodes on several machines prove themselves to each other (TLS, mutual authentication)");
        command.Subcommands.Add(create);
        return command;
    }

    // Asks twice on a terminal, without echo; null when there is no terminal to ask on.
    private static string? Prompt()
    {
        if (System.Console.IsInputRedirected) return null;
        var first = ReadSecret("password for the cluster certificate: ");
        var second = ReadSecret("the same password again: ");
        if (first == second) return first;
        System.Console.Error.WriteLine("the two passwords differ");
        return null;
    }

    private static string ReadSecret(string prompt)
    {
        System.Console.Error.Write(prompt);
        var secret = new System.Text.StringBuilder();
        while (true)
        {
            var key = System.Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (secret.Length > 0) secret.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) secret.Append(key.KeyChar);
        }
        System.Console.Error.WriteLine();
        return secret.ToString();
    }
}

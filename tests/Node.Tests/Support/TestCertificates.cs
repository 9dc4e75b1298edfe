using ActorTasks.Node.Hosting;

namespace ActorTasks.Node.Tests.Support;

/// <summary>Cluster certificates for tests, made as <c>actortasks certs new</c> makes them (<see cref="NodeTls.Create"/>).</summary>
internal static class TestCertificates
{
    /// <summary>The password of every test certificate.</summary>
    public const string Password = "node-tests-password";

    /// <summary>Writes a self-signed cluster certificate valid for a day to <c>{folder}/{name}.pfx</c> and returns its path.</summary>
    public static string Create(string folder, string name, string subject = "actortasks-cluster")
    {
        var path = Path.Combine(folder, name + ".pfx");
        NodeTls.Create(path, Password, subject, TimeSpan.FromDays(1)).Dispose();
        return path;
    }
}

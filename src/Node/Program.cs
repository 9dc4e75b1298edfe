namespace ActorTasks.Node;

// An explicit Main, not top-level statements: with ASP.NET Core's shared framework referenced (the dashboard), .NET 10
// would make a top-level Program public, and it would clash with the Program of the projects that reference this one.
internal static class Program
{
    private static int Main(string[] args)
    {
        Hosting.MallocArenas.Apply();
        return Cli.Run(args);
    }
}

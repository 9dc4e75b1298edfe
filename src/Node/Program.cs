using ActorTasks.Node;
using ActorTasks.Node.Commands;

return Cli.CreateRootCommand().Parse(SubmitCommand.SeparateJobWords(args)).Invoke(Cli.CreateInvocationConfiguration());

using ActorTasks.Node;

return Cli.CreateRootCommand().Parse(args).Invoke();

using ActorTasks.Node;

return Cli.Run(args);

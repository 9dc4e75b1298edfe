using System.CommandLine;

namespace ActorTasks.Node.Commands;

/// <summary>
/// <c>actortasks completion bash</c>: prints a bash completion script. It asks the executable itself, through
/// System.CommandLine's <c>[suggest]</c> directive, so verbs, options and job kinds are always this version's.
/// </summary>
public static class CompletionCommand
{
    /// <summary>The script: completes <c>actortasks</c>, and falls back to file names where nothing is suggested.</summary>
    public const string BashScript = """
        # actortasks bash completion: eval "$(actortasks completion bash)", e.g. in ~/.bashrc
        _actortasks_complete() {
            local IFS=$'\n'
            COMPREPLY=( $(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}") )
        }
        complete -o default -F _actortasks_complete actortasks
        """;

    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "The shell: bash" };
        shell.AcceptOnlyFromAmong("bash");
        var command = new Command("completion", "Print a shell completion script for verbs, options and job kinds: eval \"$(actortasks completion bash)\"");
        command.Arguments.Add(shell);
        command.SetAction(parseResult => parseResult.InvocationConfiguration.Output.WriteLine(BashScript));
        return command;
    }
}

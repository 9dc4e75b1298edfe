using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ActorTasks.Node.Console;

/// <summary>How the commands write what is not a plain line: tables for people, one JSON document for scripts (<c>--json</c>).</summary>
public static class ConsoleOutput
{
    /// <summary>camelCase names, enums as their names, indented: what <c>jq</c> users expect.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="document"/> as one JSON document and a newline.</summary>
    public static Task WriteJsonAsync<T>(TextWriter output, T document) =>
        output.WriteLineAsync(JsonSerializer.Serialize(document, Json));

    /// <summary>Writes a table: with colours on this process's terminal, as plain text anywhere else.</summary>
    public static void Write(TextWriter output, IRenderable renderable)
    {
        var terminal = output == System.Console.Out;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        console.Write(renderable);
    }
}

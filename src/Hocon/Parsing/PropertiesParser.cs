using System.Globalization;
using System.Text;

namespace ActorTasks.Hocon.Parsing;

/// <summary>
/// Java-style .properties files: every value is a string, keys split on '.' (empty elements kept),
/// and where a key is both a value and a parent of other keys the object wins.
/// </summary>
internal static class PropertiesParser
{
    public static ConfigObject Parse(string text, ConfigOrigin origin)
    {
        var root = new ConfigObject(origin.At(1, 1));
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var logical = lines[i].TrimEnd('\r').TrimStart(' ', '\t', '\f');
            if (logical.Length == 0 || logical[0] is '#' or '!')
                continue;
            // A line ending in an odd number of backslashes continues on the next line.
            while (EndsWithContinuation(logical) && i + 1 < lines.Length)
                logical = logical[..^1] + lines[++i].TrimEnd('\r').TrimStart(' ', '\t', '\f');
            if (EndsWithContinuation(logical))
                logical = logical[..^1];

            var (key, value) = Split(logical, origin.At(lineNumber, 1));
            if (key.Count(c => c == '.') >= Parser.MaxDepth)
                throw new ConfigException($"expected at most {Parser.MaxDepth} levels of nested keys but found a deeper key", origin.At(lineNumber, 1));
            Insert(root, key.Split('.'), new ConfigString(value, origin.At(lineNumber, 1)));
        }
        return root;
    }

    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
            count++;
        return count % 2 == 1;
    }

    private static (string Key, string Value) Split(string line, ConfigOrigin origin)
    {
        var key = new StringBuilder();
        var i = 0;
        for (; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length)
            {
                key.Append(Unescape(line, ref i, origin));
                continue;
            }
            if (c is '=' or ':' or ' ' or '\t' or '\f')
                break;
            key.Append(c);
        }
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
            i++;
        if (i < line.Length && line[i] is '=' or ':')
            i++;
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
            i++;
        var value = new StringBuilder();
        for (; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length)
                value.Append(Unescape(line, ref i, origin));
            else
                value.Append(line[i]);
        }
        return (key.ToString(), value.ToString());
    }

    private static string Unescape(string line, ref int i, ConfigOrigin origin)
    {
        var e = line[++i];
        switch (e)
        {
            case 't': return "\t";
            case 'n': return "\n";
            case 'r': return "\r";
            case 'f': return "\f";
            case 'u':
                if (i + 4 >= line.Length || !ushort.TryParse(line.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    throw new ConfigException("expected four hex digits after '\\u' in a properties file", origin);
                i += 4;
                return ((char)code).ToString();
            default:
                return e.ToString();
        }
    }

    private static void Insert(ConfigObject obj, string[] segments, ConfigString value)
    {
        for (var i = 0; i < segments.Length - 1; i++)
        {
            if (obj.Get(segments[i]) is ConfigObject child)
            {
                obj = child;
                continue;
            }
            var created = new ConfigObject(value.Origin);
            obj.Set(segments[i], created);
            obj = created;
        }
        var last = segments[^1];
        if (obj.Get(last) is not ConfigObject)
            obj.Set(last, value);
    }
}

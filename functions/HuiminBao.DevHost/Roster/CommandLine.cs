using System.Globalization;

namespace HuiminBao.DevHost.Roster;

/// <summary>The arguments of one command: positionals, <c>--name value</c> options and <c>--switch</c>es.</summary>
internal sealed class CommandLine
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string?> _options = new(StringComparer.OrdinalIgnoreCase);

    private CommandLine()
    {
    }

    /// <param name="switches">Options that take no value.</param>
    public static CommandLine Parse(IReadOnlyList<string> args, params string[] switches)
    {
        var line = new CommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                line._positionals.Add(arg);
                continue;
            }
            var name = arg[2..];
            if (name.Split('=', 2) is [var key, var inline])
                line._options[key] = inline;
            else if (switches.Contains(name, StringComparer.OrdinalIgnoreCase))
                line._options[name] = null;
            else if (i + 1 < args.Count)
                line._options[name] = args[++i];
            else
                throw new CommandLineException($"--{name} needs a value.");
        }
        return line;
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        Option(name) is not { } text ? fallback
        : int.TryParse(text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new CommandLineException($"--{name} must be a whole number, not '{text}'.");

    public IEnumerable<string> Unknown(params string[] known) => _options.Keys.Where(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase));
}

internal sealed class CommandLineException(string message) : Exception(message);

using System.Globalization;

namespace MixtureModels.Benchmarks;

/// <summary>
/// The options of one benchmark command, read once from its command line: <c>--name value</c> pairs and bare
/// <c>--flag</c> switches after the command's own name (<c>args[0]</c>). A command asks for each option it knows
/// (<see cref="String(string)"/>, <see cref="Int"/>, <see cref="Double"/>, <see cref="Flag"/>), then calls
/// <see cref="RejectUnknown"/>, which throws for any option it did not ask for (and for a stray token that is neither an
/// option nor an option's value). An option given twice keeps its last value. Mistakes throw an
/// <see cref="ArgumentException"/> that names the option and the fix.
/// </summary>
internal sealed class CommandArguments
{
    /// <summary>Each option's value (<see langword="null"/> for a bare <c>--flag</c>), by name; the last one wins.</summary>
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    /// <summary>The command's name (<c>args[0]</c>), for the messages.</summary>
    private readonly string _command;

    /// <summary>The options in the order they first appear, and the stray tokens among them, for <see cref="RejectUnknown"/>.</summary>
    private readonly List<string> _order = [];

    /// <summary>The option names the command has asked for, in the order it asked.</summary>
    private readonly List<string> _requested = [];

    /// <summary>Reads <paramref name="args"/> from index 1 on (index 0 is the command's name).</summary>
    /// <param name="args">The whole command line, the command's name first.</param>
    public CommandArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        _command = args.Length > 0 ? args[0] : string.Empty;
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            if (!IsOption(name))
            {
                // Neither an option nor an option's value: RejectUnknown reports it.
                _order.Add(name);
                continue;
            }

            // A value is the next token unless that is an option itself: `--cached --rows 5` is a switch, then a pair.
            string? value = i + 1 < args.Length && !IsOption(args[i + 1]) ? args[++i] : null;
            if (!_values.ContainsKey(name))
            {
                _order.Add(name);
            }

            _values[name] = value;
        }
    }

    /// <summary>The value of the option <paramref name="name"/>, or <see langword="null"/> if it was not given.</summary>
    /// <param name="name">The option's name, with its dashes (<c>--data</c>).</param>
    /// <returns>The value as given.</returns>
    /// <exception cref="ArgumentException">The option was given without a value.</exception>
    public string? String(string name)
    {
        Request(name);
        if (!_values.TryGetValue(name, out string? value))
        {
            return null;
        }

        return value ?? throw new ArgumentException($"{name} needs a value.");
    }

    /// <summary>The value of the option <paramref name="name"/>, or <paramref name="defaultValue"/> if it was not given.</summary>
    /// <param name="name">The option's name, with its dashes (<c>--format</c>).</param>
    /// <param name="defaultValue">The value when the option is absent.</param>
    /// <returns>The value as given, or the default.</returns>
    /// <exception cref="ArgumentException">The option was given without a value.</exception>
    public string String(string name, string defaultValue) => String(name) ?? defaultValue;

    /// <summary>The integer value of the option <paramref name="name"/> (invariant culture), or <paramref name="defaultValue"/> if it was not given.</summary>
    /// <param name="name">The option's name, with its dashes (<c>--rows</c>).</param>
    /// <param name="defaultValue">The value when the option is absent.</param>
    /// <returns>The parsed value, or the default.</returns>
    /// <exception cref="ArgumentException">The option was given without a value, or its value is not an integer.</exception>
    public int Int(string name, int defaultValue)
    {
        string? text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{name} needs an integer value, not {text}.");
    }

    /// <summary>The floating-point value of the option <paramref name="name"/> (invariant culture), or <paramref name="defaultValue"/> if it was not given.</summary>
    /// <param name="name">The option's name, with its dashes (<c>--alpha</c>).</param>
    /// <param name="defaultValue">The value when the option is absent.</param>
    /// <returns>The parsed value, or the default.</returns>
    /// <exception cref="ArgumentException">The option was given without a value, or its value is not a number.</exception>
    public double Double(string name, double defaultValue)
    {
        string? text = String(name);
        if (text is null)
        {
            return defaultValue;
        }

        return double.TryParse(text, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new ArgumentException($"{name} needs a number, not {text}.");
    }

    /// <summary>Whether the switch <paramref name="name"/> was given.</summary>
    /// <param name="name">The switch's name, with its dashes (<c>--cached</c>).</param>
    /// <returns><see langword="true"/> if the switch was given.</returns>
    /// <exception cref="ArgumentException">The switch was given a value.</exception>
    public bool Flag(string name)
    {
        Request(name);
        if (!_values.TryGetValue(name, out string? value))
        {
            return false;
        }

        if (value is not null)
        {
            throw new ArgumentException($"{name} takes no value; remove {value}.");
        }

        return true;
    }

    /// <summary>
    /// Throws for the first option given that the command has not asked for, or the first stray token; call it after
    /// asking for every option. The message lists the options the command takes.
    /// </summary>
    /// <exception cref="ArgumentException">An option the command does not know, or a stray token.</exception>
    public void RejectUnknown()
    {
        foreach (string name in _order)
        {
            if (!_requested.Contains(name))
            {
                throw new ArgumentException($"Unknown argument {name}. {_command} takes {string.Join(", ", _requested)}.");
            }
        }
    }

    /// <summary>Notes that the command takes the option <paramref name="name"/>.</summary>
    /// <param name="name">The option's name, with its dashes.</param>
    private void Request(string name)
    {
        if (!_requested.Contains(name, StringComparer.Ordinal))
        {
            _requested.Add(name);
        }
    }

    /// <summary>Whether <paramref name="token"/> names an option: two dashes and at least one more character.</summary>
    /// <param name="token">A token of the command line.</param>
    /// <returns><see langword="true"/> for <c>--name</c>.</returns>
    private static bool IsOption(string token) => token.Length > 2 && token.StartsWith("--", StringComparison.Ordinal);
}

using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace LsrGen.Generator.Emit;

/// <summary>
/// Writes indented C#: <c>Line($"...")</c> formats its holes invariantly, <c>using (writer.Block("header"))</c> writes the
/// braces, and every line ends in "\n" so the output is the same on every OS.
/// </summary>
internal sealed class IndentedWriter
{
    private readonly StringBuilder _builder = new(4096);
    private int _indent;

    /// <summary>Writes one line at the current indentation.</summary>
    public void Line([InterpolatedStringHandlerArgument("")] ref LineHandler line) => _builder.Append('\n');

    public void Line(string text)
    {
        StartLine();
        _builder.Append(text).Append('\n');
    }

    public void Line() => _builder.Append('\n');

    /// <summary>Writes every line of <paramref name="other"/> (written at indentation 0) at the current indentation.</summary>
    public void Lines(IndentedWriter other)
    {
        string text = other.ToString();
        int start = 0;
        for (int end = text.IndexOf('\n'); end >= 0; start = end + 1, end = text.IndexOf('\n', start))
        {
            if (end > start)
            {
                StartLine();
            }

            _builder.Append(text, start, end - start + 1);
        }
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace; disposing the result closes it.</summary>
    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this);
    }

    /// <summary>Indents until the result is disposed, which also writes the closing brace (the caller wrote the opening one).</summary>
    public Scope Indented()
    {
        _indent++;
        return new Scope(this);
    }

    public override string ToString() => _builder.ToString();

    private void StartLine() => _builder.Append(' ', _indent * 4);

    /// <summary>Closes a block opened by <see cref="Block"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly IndentedWriter _writer;

        public Scope(IndentedWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }

    /// <summary>Appends an interpolated line straight into the writer, formatting numbers invariantly.</summary>
    [InterpolatedStringHandler]
    public readonly struct LineHandler
    {
        private readonly StringBuilder _builder;

        public LineHandler(int literalLength, int formattedCount, IndentedWriter writer)
        {
            _builder = writer._builder;
            writer.StartLine();
        }

        public void AppendLiteral(string value) => _builder.Append(value);

        public void AppendFormatted(string? value) => _builder.Append(value);

        public void AppendFormatted(int value) => _builder.Append(value.ToString(CultureInfo.InvariantCulture));

        public void AppendFormatted<TValue>(TValue value) => _builder.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
    }
}

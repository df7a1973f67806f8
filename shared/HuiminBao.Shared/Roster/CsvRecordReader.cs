using System.Text;

namespace HuiminBao.Roster;

/// <summary>
/// Reads CSV records (RFC 4180: comma-separated, double-quoted fields with <c>""</c> for a quote, CRLF,
/// LF or CR line ends) one at a time from a reader, holding one record in memory, so a file of
/// millions of rows streams through in constant space. Blank lines are skipped. Each record knows
/// the physical line it starts on, for reports.
/// <para>
/// A quoted field may span lines, but an unbalanced quote would otherwise swallow the rest of the
/// file into one field; past <see cref="MaxRecordChars"/> the record is given up as malformed at the
/// next line end and reading resynchronises there.
/// </para>
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    public const int MaxRecordChars = 4096;

    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private long _line = 1;
    private bool _endOfInput;
    private bool _pendingCarriageReturn;

    /// <summary>The line the record last read starts on (1-based).</summary>
    public long Line { get; private set; }

    /// <summary>True when the record last read had an unbalanced or stray quote, or was too long.</summary>
    public bool Malformed { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of input.</summary>
    public async ValueTask<bool> ReadAsync(List<string> fields, CancellationToken cancellationToken)
    {
        while (true)
        {
            fields.Clear();
            Malformed = false;
            if (!await ReadRecordAsync(fields, cancellationToken))
                return false;
            if (fields.Count > 1 || fields[0].Length > 0 || Malformed)
                return true;
            // A blank line is not a record.
        }
    }

    private async ValueTask<bool> ReadRecordAsync(List<string> fields, CancellationToken cancellationToken)
    {
        if (!await EnsureAsync(cancellationToken))
            return false;
        Line = _line;
        var recordChars = 0;
        _field.Clear();
        var quoted = false;
        var inQuotes = false;
        var atFieldStart = true;
        while (true)
        {
            if (_position == _length && !await EnsureAsync(cancellationToken))
            {
                if (inQuotes)
                    Malformed = true;
                fields.Add(_field.ToString());
                return true;
            }
            var c = _buffer[_position++];
            if (_pendingCarriageReturn)
            {
                _pendingCarriageReturn = false;
                if (c == '\n')
                    continue;
            }
            recordChars++;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (!await EnsureAsync(cancellationToken) || _buffer[_position] != '"')
                    {
                        inQuotes = false;
                        continue;
                    }
                    _position++;
                    _field.Append('"');
                    continue;
                }
                if (c is '\r' or '\n')
                {
                    NewLine(c);
                    if (recordChars > MaxRecordChars)
                    {
                        // An unbalanced quote: give the record up here rather than swallow the file.
                        Malformed = true;
                        fields.Add(_field.ToString());
                        return true;
                    }
                }
                _field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when atFieldStart:
                    quoted = inQuotes = true;
                    atFieldStart = false;
                    continue;
                case ',':
                    fields.Add(_field.ToString());
                    _field.Clear();
                    quoted = false;
                    atFieldStart = true;
                    continue;
                case '\r' or '\n':
                    NewLine(c);
                    fields.Add(_field.ToString());
                    return true;
                default:
                    // Text after a closing quote (`"ab"c`) is not CSV; keep it but flag the record.
                    if (quoted && !char.IsWhiteSpace(c))
                        Malformed = true;
                    if (recordChars > MaxRecordChars)
                        Malformed = true;
                    else
                        _field.Append(c);
                    atFieldStart = false;
                    continue;
            }
        }
    }

    private void NewLine(char c)
    {
        _line++;
        _pendingCarriageReturn = c == '\r';
    }

    /// <summary>Makes at least one character available; false at the end of input.</summary>
    private async ValueTask<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        while (_position == _length)
        {
            if (_endOfInput)
                return false;
            _length = await reader.ReadAsync(_buffer.AsMemory(), cancellationToken);
            _position = 0;
            if (_length == 0)
            {
                _endOfInput = true;
                return false;
            }
        }
        return true;
    }
}

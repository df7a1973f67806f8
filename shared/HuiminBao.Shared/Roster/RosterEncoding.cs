using System.Text;

namespace HuiminBao.Roster;

/// <summary>
/// The text encodings a bureau export comes in. Excel and most bureau systems in China write GBK
/// (read as GB18030, its superset) without a marker; newer systems write UTF-8, with or without a BOM.
/// </summary>
public static class RosterEncoding
{
    public const string Utf8 = "utf-8";
    public const string Utf16LittleEndian = "utf-16";
    public const string Utf16BigEndian = "utf-16BE";
    public const string Gb18030 = "GB18030";

    static RosterEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// The decoder to read a file with. Invalid bytes become U+FFFD rather than '?', so a damaged row
    /// is recognisable and skipped instead of imported with a garbled value.
    /// </summary>
    public static Encoding For(string name) => name switch
    {
        Utf8 => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
        Utf16LittleEndian => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: false),
        Utf16BigEndian => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: false),
        Gb18030 => Encoding.GetEncoding(Gb18030, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback("\uFFFD")),
        _ => throw new ArgumentException($"Unknown roster encoding '{name}'.", nameof(name)),
    };

    /// <summary>A reader that skips the file's BOM, if any, whatever the encoding.</summary>
    public static StreamReader Reader(Stream stream, string name) =>
        new(stream, For(name), detectEncodingFromByteOrderMarks: name != Gb18030, bufferSize: 64 * 1024, leaveOpen: false);
}

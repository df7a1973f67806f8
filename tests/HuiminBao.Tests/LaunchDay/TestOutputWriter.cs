using System.Text;
using Xunit.Abstractions;

namespace HuiminBao.Tests.LaunchDay;

/// <summary>A TextWriter onto the test's output, one line per WriteLine, for code that reports progress as it goes.</summary>
internal sealed class TestOutputWriter(ITestOutputHelper output) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_line)
        {
            if (value == '\n')
            {
                output.WriteLine(_line.ToString().TrimEnd('\r'));
                _line.Clear();
            }
            else
            {
                _line.Append(value);
            }
        }
    }
}

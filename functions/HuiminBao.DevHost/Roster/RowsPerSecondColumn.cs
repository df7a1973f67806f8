using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HuiminBao.DevHost.Roster;

/// <summary>A progress column showing rows done and the rate over the run so far: "120,000 rows · 9,850 rows/s".</summary>
internal sealed class RowsPerSecondColumn : ProgressColumn
{
    public const string Rows = "rows";
    public const string Rate = "rate";

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
    {
        var rows = task.State.Get<double>(Rows);
        var rate = task.State.Get<double>(Rate);
        if (rows == 0)
            return Text.Empty;
        var text = rate > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows · {rate:N0} rows/s")
            : string.Create(CultureInfo.InvariantCulture, $"{rows:N0} rows");
        return new Markup(Markup.Escape(text));
    }
}

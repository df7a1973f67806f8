using System.Reflection;
using HuiminBao.DevHost;
using HuiminBao.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HuiminBao.Tests.Architecture;

public sealed class LogEventIdTests
{
    private static readonly Assembly[] Assemblies = [typeof(LogEvents).Assembly, typeof(DevHostApp).Assembly];

    [Fact]
    public void Every_log_event_has_an_id_of_its_own_inside_a_block_of_the_plan()
    {
        var blocks = typeof(LogEvents).GetFields(BindingFlags.Public | BindingFlags.Static)
            .ToDictionary(f => (int)f.GetRawConstantValue()!, f => f.Name);
        var events = Assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: $"{m.DeclaringType!.FullName}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.True(events.Count > 50, $"found only {events.Count} [LoggerMessage] methods");
        var shared = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.Empty(shared);
        var outside = events.Where(e => !blocks.ContainsKey(e.Attribute!.EventId / 100 * 100)).Select(e => $"{e.Attribute!.EventId} {e.Method}").ToList();
        Assert.Empty(outside);
    }
}

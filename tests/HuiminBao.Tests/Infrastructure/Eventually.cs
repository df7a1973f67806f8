namespace HuiminBao.Tests.Infrastructure;

/// <summary>Polls until a condition holds or a deadline passes; tests wait on state, never on fixed sleeps.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? within = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met in time{(because is null ? "" : ": " + because)}. Last value: {value}");
            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan? within = null, string? because = null) =>
        ReturnsAsync(probe, ok => ok, within, because);
}

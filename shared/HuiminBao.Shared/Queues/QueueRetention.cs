namespace HuiminBao.Queues;

/// <summary>
/// How long any message the pipeline sends may live on a queue. Messages carry openids, person keys
/// and masked names, so none is kept forever (a time-to-live of -1): a message nobody handled within
/// this time is dropped by the queue service itself. Seven days is the queue service's own default,
/// and what the Functions host gives a message it moves to a poison queue; the local host matches it.
/// <para>
/// Nothing is lost when a message expires: the sign-up it names is stored, and a handler that
/// hasn't run for a week means an outage ops already know about. Queues drain in minutes normally.
/// </para>
/// </summary>
public static class QueueRetention
{
    public static readonly TimeSpan MessageTimeToLive = TimeSpan.FromDays(7);
}

using System.Globalization;
using HuiminBao.Queues;
using Microsoft.Azure.Functions.Worker;

namespace HuiminBao.Functions;

/// <summary>Reads what the queue trigger knows about a delivery from the binding data.</summary>
internal static class QueueDeliveries
{
    public static QueueDelivery From(FunctionContext context)
    {
        IReadOnlyDictionary<string, object?> data = context.BindingContext.BindingData;
        var id = Convert.ToString(data.GetValueOrDefault("Id"), CultureInfo.InvariantCulture) ?? "";
        var dequeueCount = data.TryGetValue("DequeueCount", out var count) ? Convert.ToInt64(count, CultureInfo.InvariantCulture) : 1;
        var insertedText = Convert.ToString(data.GetValueOrDefault("InsertionTime"), CultureInfo.InvariantCulture);
        DateTimeOffset? inserted = DateTimeOffset.TryParse(insertedText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
        return new QueueDelivery(id, dequeueCount, inserted);
    }
}

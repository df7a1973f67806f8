using System.Text.Json.Serialization;

namespace HuiminBao.WeChat;

[JsonSerializable(typeof(Code2SessionAnswer))]
internal sealed partial class WeChatJson : JsonSerializerContext;

namespace HuiminBao.Domain;

/// <summary>One failing field: a JSON path into the request, a stable code and its zh-CN text.</summary>
public sealed record FieldError(string Field, string Code, string Message)
{
    public static FieldError Of(string field, string code) => new(field, code, ErrorMessages.For(code));
}

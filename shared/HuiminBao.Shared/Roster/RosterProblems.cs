using HuiminBao.Domain;

namespace HuiminBao.Roster;

/// <summary>The roster routes' problems: stable codes, zh-CN text for ops.</summary>
public static class RosterProblems
{
    public const string AsOfInvalidCode = "roster-as-of-invalid";
    public const string FileEmptyCode = "roster-file-empty";
    public const string HeaderInvalidCode = "roster-header-invalid";

    public static ApiProblem UnsupportedMediaType() =>
        new(415, ErrorCodes.UnsupportedMediaType, "请上传 CSV 文件", "请求内容类型须为 text/csv 或 application/octet-stream");

    public static ApiProblem AsOfInvalid() =>
        new(400, AsOfInvalidCode, "数据日期格式不正确", "asOf 须为 yyyy-MM-dd 格式的日期，且不晚于今天");

    public static ApiProblem FileEmpty() => new(400, FileEmptyCode, "上传的文件为空", "上传的花名册文件没有内容");

    public static ApiProblem HeaderInvalid(string detail) => new(400, HeaderInvalidCode, "花名册表头不符合要求", detail);

    public static ApiProblem TooLarge(long maxBytes) =>
        new(413, ErrorCodes.BodyTooLarge, "文件过大", $"花名册文件不能超过 {maxBytes / (1024 * 1024)} MiB，请拆分后分别上传");

    /// <summary>Too big to send to the app in one request (Azure Functions takes up to 100 MB): upload it to storage through a roster drop.</summary>
    public static ApiProblem TooLargeForRequest(long maxBytes) =>
        new(413, ErrorCodes.BodyTooLarge, "文件过大，请改用存储直传",
            $"直接上传的花名册不能超过 {maxBytes / 1_000_000} MB。请先调用 POST /api/ops/roster-drops 取得上传地址，把文件直接上传到存储，再调用返回的 importUrl 开始导入");

    public static ApiProblem DropNotFound() => new(404, ErrorCodes.NotFound, "未找到上传的文件", "没有这个编号的直传文件：可能尚未上传、已经导入或已过期");

    public static ApiProblem NotFound() => new(404, ErrorCodes.NotFound, "未找到该导入记录", "没有这个编号的花名册导入");

    public static ApiProblem StorageUnavailable() => ApiProblem.Unavailable(ErrorCodes.StorageUnavailable, TimeSpan.FromSeconds(5));
}

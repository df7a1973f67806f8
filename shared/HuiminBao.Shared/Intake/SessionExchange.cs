using System.Text.Json;
using HuiminBao.Diagnostics;
using HuiminBao.Domain;
using HuiminBao.Security;
using HuiminBao.WeChat;
using Microsoft.Extensions.Logging;
using Polly.Timeout;

namespace HuiminBao.Intake;

public sealed record SessionRequest(string? Code);

public sealed record SessionIssued(string Token, DateTimeOffset ExpiresAt);

/// <summary><c>POST /api/sessions</c>: a <c>wx.login</c> code in, a signed two-hour bearer token out.</summary>
public sealed partial class SessionExchange(WeChatLogin weChat, SessionTokens tokens, ILogger<SessionExchange> logger)
{
    private const int MaxBodyBytes = 1024;
    private const int MaxCodeLength = 128;

    public async Task<Outcome<SessionIssued>> ExchangeAsync(string? contentType, Stream body, CancellationToken cancellationToken)
    {
        if (!BoundedBody.IsJson(contentType))
            return ApiProblem.UnsupportedMediaType();
        var bytes = await BoundedBody.ReadAsync(body, MaxBodyBytes, cancellationToken);
        if (bytes is null)
            return ApiProblem.TooLarge();

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            return ApiProblem.Validation([FieldError.Of("$", ErrorCodes.MalformedJson)]);

        string code;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (DuplicateProperties.Find(document.RootElement) is { Count: > 0 } duplicates)
                return ApiProblem.Validation([.. duplicates.Select(path => FieldError.Of(path, ErrorCodes.DuplicateField))]);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("code", out var element))
                return ApiProblem.Validation([FieldError.Of("code", ErrorCodes.Required)]);
            if (element.ValueKind != JsonValueKind.String)
                return ApiProblem.Validation([FieldError.Of("code", ErrorCodes.WrongType)]);
            code = element.GetString()!;
        }
        catch (JsonException)
        {
            return ApiProblem.Validation([FieldError.Of("$", ErrorCodes.MalformedJson)]);
        }
        if (string.IsNullOrWhiteSpace(code))
            return ApiProblem.Validation([FieldError.Of("code", ErrorCodes.Required)]);
        if (code.Length > MaxCodeLength || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            return ApiProblem.Validation([FieldError.Of("code", ErrorCodes.LoginCodeInvalid)]);

        try
        {
            var openId = await weChat.OpenIdAsync(code, cancellationToken);
            var issued = tokens.Issue(openId);
            return new SessionIssued(issued.Token, issued.ExpiresAt);
        }
        catch (WeChatException e)
        {
            LogWeChatRefused(logger, e.ErrorCode);
            return e.ErrorCode switch
            {
                WeChatErrors.InvalidLoginCode => ApiProblem.BadRequest(ErrorCodes.LoginCodeInvalid),
                WeChatErrors.LoginCodeUsed => ApiProblem.BadRequest(ErrorCodes.LoginCodeUsed),
                WeChatErrors.FrequencyLimit => ApiProblem.TooManyRequests(ErrorCodes.WeChatRateLimited, TimeSpan.FromSeconds(60)),
                WeChatErrors.SystemBusy => ApiProblem.Unavailable(ErrorCodes.WeChatUnavailable, TimeSpan.FromSeconds(5)),
                _ => ApiProblem.Of(502, ErrorCodes.WeChatLoginFailed),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            LogWeChatUnreachable(logger, e.GetType().Name);
            return ApiProblem.Unavailable(ErrorCodes.WeChatUnavailable, TimeSpan.FromSeconds(5));
        }
    }

    [LoggerMessage(EventId = LogEvents.Sessions + 1, Level = LogLevel.Warning, Message = "WeChat jscode2session refused the code: errcode {ErrCode}")]
    private static partial void LogWeChatRefused(ILogger logger, int errCode);

    [LoggerMessage(EventId = LogEvents.Sessions + 2, Level = LogLevel.Error, Message = "WeChat jscode2session unreachable: {Error}")]
    private static partial void LogWeChatUnreachable(ILogger logger, string error);
}

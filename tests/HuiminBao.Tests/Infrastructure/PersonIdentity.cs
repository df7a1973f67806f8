namespace HuiminBao.Tests.Infrastructure;

/// <summary>Who a person is to the pipeline: the keyed hashes of their ID number and of their name bound to it.</summary>
public sealed record PersonIdentity(string PersonKey, string NameKey);

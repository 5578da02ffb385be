namespace OrgActors.Api.Metering;

/// <summary>A metering request that is not well formed; the message names the field and what is wrong.</summary>
public sealed class MeteringInputException(string message) : Exception(message);

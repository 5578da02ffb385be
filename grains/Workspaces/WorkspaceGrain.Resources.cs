using OrgActors.GrainInterfaces.Credits;
using System.Collections.Immutable;
using System.Text.RegularExpressions;
using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Grains.Common;

namespace OrgActors.Grains.Workspaces;

/// <summary>
/// Resources the platform registers in a workspace (workflows, agents, repositories…), so its card can
/// count them. Registering the same kind and external id again renames the resource instead of adding one
/// (audited as workspace.resource_updated; registering it unchanged records nothing).
/// </summary>
public sealed partial class WorkspaceGrain
{
    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,31}$")]
    private static partial Regex KindPattern();

    public async Task<IReadOnlyList<WorkspaceResourceView>> GetResources(Caller caller, string? kind)
    {
        await RequireAsync(caller, WorkspacePermission.View, "view resources");
        var normalizedKind = kind?.Trim().ToUpperInvariant();
        return State.Resources.Where(r => normalizedKind is null || r.Kind == normalizedKind).Select(ToView).ToImmutableArray();
    }

    public async Task<WorkspaceResourceView> RegisterResource(Caller caller, string kind, string name, string? externalId)
    {
        if (!caller.IsPlatformAdmin) await RequireWritableAsync(caller, WorkspacePermission.RegisterResources, "register resources");
        else if (!State.Exists) throw UserErrorException.NotFound(What);
        else if (State.ArchivedAt is not null) throw new UserErrorException(UserErrorCodes.WorkspaceArchived, "This workspace is archived and read-only.");

        // Kinds are upper-case identifiers; "workflow" is accepted and stored as WORKFLOW.
        var normalizedKind = (kind ?? "").Trim().ToUpperInvariant();
        if (!KindPattern().IsMatch(normalizedKind))
            throw new UserErrorException(UserErrorCodes.InvalidKind, "Kind must be an upper-case identifier such as WORKFLOW or AGENT (at most 32 characters).", ["input", "kind"]);
        var validName = InputRules.Name(name, maxLength: OrganizationLimits.MaxResourceNameLength);
        var validExternalId = string.IsNullOrWhiteSpace(externalId) ? null : externalId.Trim();
        if (validExternalId is { Length: > OrganizationLimits.MaxExternalIdLength })
            throw new UserErrorException(UserErrorCodes.ExternalIdTooLong, $"External id must be at most {OrganizationLimits.MaxExternalIdLength} characters.", ["input", "externalId"]);
        // It is the platform's own key, shown back to frontends: one plain line, as the wallet's keys.
        if (validExternalId is not null && !KeyText.IsPlainLine(validExternalId))
            throw new UserErrorException(UserErrorCodes.InvalidExternalId, $"External id must be one plain line: no {KeyText.Refused}.", ["input", "externalId"]);

        var existing = validExternalId is null ? null : State.Resources.FirstOrDefault(r => r.Kind == normalizedKind && r.ExternalId == validExternalId);
        if (existing is not null)
        {
            // Registering again is how the platform renames; the name is all that can change.
            if (existing.Name == validName) return ToView(existing);
            var previousName = existing.Name;
            existing.Name = validName;
            await SaveAsync();
            await AuditAsync(caller, "workspace.resource_updated", Id, $"{existing.Id} {normalizedKind} name: {previousName} -> {validName}");
            return ToView(existing);
        }

        if (State.Resources.Count >= OrganizationLimits.MaxResourcesPerWorkspace)
            throw new UserErrorException(UserErrorCodes.LimitExceeded, $"A workspace may hold at most {OrganizationLimits.MaxResourcesPerWorkspace} resources.");
        var resource = new WorkspaceResourceRecord
        {
            Id = EntityIds.New(EntityIds.ResourcePrefix), Kind = normalizedKind, Name = validName, ExternalId = validExternalId, CreatedAt = TimeProvider.GetUtcNow(),
        };
        State.Resources.Add(resource);
        await SaveAsync();
        // The event targets the workspace (whose card counts the resource); the details name the resource.
        await AuditAsync(caller, "workspace.resource_registered", Id, $"{resource.Id} {normalizedKind} {validName}");
        return ToView(resource);
    }

    private static WorkspaceResourceView ToView(WorkspaceResourceRecord resource) =>
        new(resource.Id, resource.Kind, resource.Name, resource.ExternalId, resource.CreatedAt);
}

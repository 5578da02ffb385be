using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Organizations;

namespace OrgActors.Grains.Common;

/// <summary>Permission checks shared by the grains, with the errors the contract prescribes.</summary>
public static class Require
{
    /// <summary>
    /// A role with the permission. Callers without one never learn what exists: no role at all is
    /// NOT_FOUND; a role without the right is FORBIDDEN.
    /// </summary>
    public static OrganizationRole Permission(OrganizationRole? role, Permission permission, string what, string action)
    {
        if (role is not { } actual) throw UserErrorException.NotFound(what);
        if (!PermissionMatrix.Allows(actual, permission)) throw UserErrorException.Forbidden(action);
        return actual;
    }
}

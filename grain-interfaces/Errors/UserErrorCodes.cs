namespace OrgActors.GrainInterfaces.Errors;

/// <summary>Every code a <see cref="UserErrorException"/> can carry. Stable: clients switch on them.</summary>
public static class UserErrorCodes
{
    /// <summary>The target does not exist, or belongs to an organization the caller is not in.</summary>
    public const string NotFound = "NOT_FOUND";
    public const string Forbidden = "FORBIDDEN";
    public const string Unauthenticated = "UNAUTHENTICATED";

    public const string NameRequired = "NAME_REQUIRED";
    public const string NameTooLong = "NAME_TOO_LONG";
    /// <summary>A name with control characters, invisible formatting characters or line breaks (docs/organizations.md, "Limits").</summary>
    public const string InvalidName = "INVALID_NAME";
    public const string DescriptionTooLong = "DESCRIPTION_TOO_LONG";
    /// <summary>A description with control characters other than line breaks and tabs.</summary>
    public const string InvalidDescription = "INVALID_DESCRIPTION";
    public const string InvalidEmail = "INVALID_EMAIL";
    public const string InvalidRole = "INVALID_ROLE";
    public const string InvalidId = "INVALID_ID";
    public const string InvalidKind = "INVALID_KIND";
    public const string ExternalIdTooLong = "EXTERNAL_ID_TOO_LONG";
    /// <summary>An external id that is not one plain line (control characters, line separators, bidi controls).</summary>
    public const string InvalidExternalId = "INVALID_EXTERNAL_ID";
    public const string ConfirmationMismatch = "CONFIRMATION_MISMATCH";

    public const string AlreadyExists = "ALREADY_EXISTS";
    public const string AlreadyMember = "ALREADY_MEMBER";
    public const string NotOrganizationMember = "NOT_ORGANIZATION_MEMBER";
    public const string NotWorkspaceMember = "NOT_WORKSPACE_MEMBER";
    public const string LastOwner = "LAST_OWNER";
    public const string CannotManageOwner = "CANNOT_MANAGE_OWNER";
    public const string CannotTransferToSelf = "CANNOT_TRANSFER_TO_SELF";

    public const string EmailNotVerified = "EMAIL_NOT_VERIFIED";
    public const string InvitationNotPending = "INVITATION_NOT_PENDING";
    public const string InvitationExpired = "INVITATION_EXPIRED";

    public const string WorkspaceArchived = "WORKSPACE_ARCHIVED";
    public const string OrganizationDeleted = "ORGANIZATION_DELETED";
    public const string LimitExceeded = "LIMIT_EXCEEDED";

    public const string UnknownPlan = "UNKNOWN_PLAN";
    public const string PeriodNotOffered = "PERIOD_NOT_OFFERED";
    /// <summary>A paid plan needs a payment, which only platform admins can vouch for until payments exist.</summary>
    public const string PaymentRequired = "PAYMENT_REQUIRED";
    public const string UnknownPack = "UNKNOWN_PACK";
    public const string PackLimitReached = "PACK_LIMIT_REACHED";

    public const string InvalidImage = "INVALID_IMAGE";
    public const string ImageTooLarge = "IMAGE_TOO_LARGE";
    public const string ImageNotSquare = "IMAGE_NOT_SQUARE";

    public const string InvalidLimit = "INVALID_LIMIT";
    public const string InvalidThresholds = "INVALID_THRESHOLDS";
    public const string UnsupportedScope = "UNSUPPORTED_SCOPE";
    public const string BudgetLimitReached = "BUDGET_LIMIT_REACHED";
    public const string InvalidExpiry = "INVALID_EXPIRY";
    public const string ReasonTooLong = "REASON_TOO_LONG";
    public const string InvalidReason = "INVALID_REASON";
}

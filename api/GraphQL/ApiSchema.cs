using OrgActors.GraphQL.Types;

namespace OrgActors.Api.GraphQL;

/// <summary>The whole GraphQL schema of the API, module by module.</summary>
public static class ApiSchema
{
    public static GraphQLSchema Build()
    {
        var builder = new SchemaBuilder();
        builder.Description("OrgActors: organizations, members, workspaces, credits and billing of an AI platform.");
        Scalars.Declare(builder);
        UserErrors.Declare(builder);
        QueryType.Declare(builder);
        OrganizationTypes.Declare(builder);
        WorkspaceTypes.Declare(builder);
        OrganizationMutations.Declare(builder);
        WorkspaceMutations.Declare(builder);
        CreditCatalogTypes.Declare(builder);
        WalletTypes.Declare(builder);
        SubscriptionTypes.Declare(builder);
        BudgetTypes.Declare(builder);
        UsageTypes.Declare(builder);
        return builder.Build();
    }
}

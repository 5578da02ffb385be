namespace OrgActors.Api;

/// <summary>The API assembly (GraphQL schema, authentication, HTTP endpoints) arrives with the organizations issue.</summary>
public static class ApiAssembly;

# The silo image: build with the .NET 10 SDK, run on the ASP.NET Core runtime.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish silo/OrgActors.Silo.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ORGACTORS__DataDir=/data
VOLUME /data
EXPOSE 5080
ENTRYPOINT ["dotnet", "OrgActors.Silo.dll", "--urls", "http://0.0.0.0:5080"]

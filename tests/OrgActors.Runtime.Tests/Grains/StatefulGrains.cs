namespace OrgActors.Runtime.Tests.Grains;

public sealed class AccountState
{
    public long BalanceNanoCredits { get; set; }
    public List<string> History { get; set; } = [];
}

public interface IAccountGrain : IGrainWithStringKey
{
    Task<long> Deposit(long amountNanoCredits, string note);
    [ReadOnly] Task<long> Balance();
    [ReadOnly] Task<IReadOnlyList<string>> History();
    [ReadOnly] Task<string?> Etag();
    Task Clear();
}

public class AccountGrain([PersistentState("account")] IPersistentState<AccountState> account) : Grain, IAccountGrain
{
    public async Task<long> Deposit(long amountNanoCredits, string note)
    {
        account.State.BalanceNanoCredits += amountNanoCredits;
        account.State.History.Add(note);
        await account.WriteStateAsync();
        return account.State.BalanceNanoCredits;
    }

    public Task<long> Balance() => Task.FromResult(account.State.BalanceNanoCredits);
    public Task<IReadOnlyList<string>> History() => Task.FromResult<IReadOnlyList<string>>(account.State.History);
    public Task<string?> Etag() => Task.FromResult(account.Etag);
    public Task Clear() => account.ClearStateAsync();
}

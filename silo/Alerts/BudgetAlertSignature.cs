using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrgActors.Silo.Alerts;

/// <summary>
/// The <c>X-OrgActors-Signature</c> header of budget alert webhooks, as Stripe signs its events:
/// <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;body&gt;" keyed with the secret&gt;</c>.
/// A receiver recomputes v1 over the raw body, compares in constant time, and refuses an old t.
/// </summary>
public static class BudgetAlertSignature
{
    public const string HeaderName = "X-OrgActors-Signature";

    public static string Header(string secret, DateTimeOffset at, string body)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Compute(secret, t, body)}";
    }

    /// <summary>Lower-case hex of HMAC-SHA256(secret, "&lt;t&gt;.&lt;body&gt;").</summary>
    public static string Compute(string secret, string t, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body)));
}

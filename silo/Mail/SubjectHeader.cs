using System.Text;

namespace OrgActors.Silo.Mail;

/// <summary>
/// A subject as the recipient must read it. Text that looks like an RFC 2047 encoded-word (an organization
/// named <c>=?utf-8?Q?Acme_=E2=80=AE...?=</c>) reaches the mail client as one and is decoded there: into a bidi
/// override, or a whole other subject, that the name rules refuse (docs/organizations.md, "Limits"). .NET
/// sends an all-ASCII subject as it is, and any subject as raw UTF-8 to a relay that offers SMTPUTF8
/// (SmtpMailSender), so such a subject is sent encoded by this, whole, and decodes to itself.
/// </summary>
internal static class SubjectHeader
{
    /// <summary>Bytes of text per encoded-word: 60 characters of base64, 72 with its frame, within RFC 2047's 75.</summary>
    private const int BytesPerEncodedWord = 45;

    public static string Of(string subject)
    {
        if (!subject.Contains("=?", StringComparison.Ordinal)) return subject;
        // Each encoded-word holds whole characters (RFC 2047, section 5): a character's bytes are never split.
        var words = new List<string>();
        var chunk = new List<byte>(BytesPerEncodedWord);
        Span<byte> character = stackalloc byte[4];
        foreach (var rune in subject.EnumerateRunes())
        {
            int length = rune.EncodeToUtf8(character);
            if (chunk.Count + length > BytesPerEncodedWord) Flush();
            chunk.AddRange(character[..length]);
        }
        Flush();
        // Whitespace between two encoded-words is not part of the text (RFC 2047, section 6.2).
        return string.Join(' ', words);

        void Flush()
        {
            if (chunk.Count == 0) return;
            words.Add("=?utf-8?B?" + Convert.ToBase64String(chunk.ToArray()) + "?=");
            chunk.Clear();
        }
    }
}

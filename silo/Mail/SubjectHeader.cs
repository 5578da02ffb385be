using System.Text;

namespace OrgActors.Silo.Mail;

/// <summary>
/// A subject as the recipient must read it. .NET leaves an all-ASCII subject as it is, so text that looks like
/// an RFC 2047 encoded-word (an organization named <c>=?utf-8?Q?Acme_=E2=80=AE...?=</c>) reaches the mail
/// client as one, which decodes it: into a bidi override or a whole other subject that the name rules refuse
/// (docs/organizations.md, "Limits"). Such a subject is sent encoded instead, so that it decodes to itself.
/// </summary>
internal static class SubjectHeader
{
    /// <summary>Bytes of text per encoded-word: 60 characters of base64, 72 with its frame, within RFC 2047's 75.</summary>
    private const int BytesPerEncodedWord = 45;

    public static string Of(string subject)
    {
        if (!subject.Contains("=?", StringComparison.Ordinal) || !Ascii.IsValid(subject)) return subject;
        var bytes = Encoding.UTF8.GetBytes(subject);
        var words = new List<string>(bytes.Length / BytesPerEncodedWord + 1);
        for (int start = 0; start < bytes.Length; start += BytesPerEncodedWord)
        {
            var chunk = bytes.AsSpan(start, Math.Min(BytesPerEncodedWord, bytes.Length - start));
            words.Add("=?utf-8?B?" + Convert.ToBase64String(chunk) + "?=");
        }
        // Whitespace between two encoded-words is not part of the text (RFC 2047, section 6.2).
        return string.Join(' ', words);
    }
}

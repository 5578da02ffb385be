using OrgActors.GrainInterfaces.Errors;
using OrgActors.GrainInterfaces.Identity;
using OrgActors.GrainInterfaces.Organizations;
using OrgActors.GrainInterfaces.Workspaces;
using OrgActors.Grains.Common;
using OrgActors.Runtime.Storage;

namespace OrgActors.Grains.Tests.Organizations;

/// <summary>Names must show every character they hold (docs/organizations.md, "Limits").</summary>
public sealed class NameRulesTests
{
    private static readonly Caller Alice = new("user-alice", "alice@example.com", true, "Alice", false);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    [InlineData("\u200b")] // zero-width space
    [InlineData("\u200b \u200d\u200c")]
    [InlineData("\ufeff")] // byte order mark
    [InlineData("\u202e")] // right-to-left override
    [InlineData("\u3164")] // Hangul filler, drawn blank
    [InlineData("\u2800\u2800")] // blank Braille pattern
    [InlineData("\ufe0f")] // a variation selector alone
    public void A_name_with_nothing_visible_is_required(string name) =>
        AssertRefused(name, UserErrorCodes.NameRequired, "Name must not be empty.");

    [Theory]
    [InlineData("x\u0007y")] // control character
    [InlineData("\u0007")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("a\u0085b")] // next line, a C1 control
    [InlineData("\u202eevil")] // right-to-left override
    [InlineData("a\u202db")] // left-to-right override
    [InlineData("a\u2066b\u2069")] // isolates
    [InlineData("a\u200eb")] // left-to-right mark
    [InlineData("Acme\u200b")]
    [InlineData("Ac\u200bme")]
    [InlineData("\ufeffAcme")]
    [InlineData("Ac\u00adme")] // soft hyphen
    [InlineData("Ac\u2060me")] // word joiner
    [InlineData("a\u2028b")] // line separator
    [InlineData("a\u2029b")] // paragraph separator
    [InlineData("\u200dAcme")] // a joiner at an end joins nothing
    [InlineData("Acme\u200c")]
    [InlineData("a \u200d b")] // beside spaces
    [InlineData("a\u200d\u200db")] // beside another invisible character
    [InlineData("a\u200d\u202eb")]
    [InlineData("ab\u200d\ufe0f")] // a variation selector after the joiner is blank: it joins nothing
    [InlineData("\ufe0f\u200dab")] // nor does one with nothing before it
    [InlineData("a\u200d\u034fb")] // the combining grapheme joiner is blank
    [InlineData("\U0001F469\u200d\ufe0f\U0001F4BB")]
    [InlineData("x\U000E0041\U000E0042\U000E0043")] // tag characters outside a flag: hidden text
    [InlineData("\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074")] // a flag's tags without CANCEL TAG
    [InlineData("\U0001F3F4\U000E0067\U000E0062\U000E007F")] // too short for a subdivision
    [InlineData("\U0001F3F4\U000E0061\U000E0061\U000E0061\U000E0061\U000E0061\U000E0061\U000E0061\U000E0061\U000E007F")] // too long
    [InlineData("\U0001F3F4\U000E0047\U000E0042\U000E0053\U000E007F")] // upper-case tags are no subdivision id
    [InlineData("\u3164Acme")] // a Hangul filler draws nothing: "Acme" twice
    [InlineData("Acme\uffa0")]
    [InlineData("a\u034fb")] // the combining grapheme joiner
    [InlineData("a\u17b4b")] // a deprecated Khmer vowel, drawn blank
    [InlineData("a\ufffe")] // noncharacters
    [InlineData("a\U0010FFFF")]
    public void Control_and_invisible_formatting_characters_are_an_invalid_name(string name) =>
        AssertRefused(name, UserErrorCodes.InvalidName, "Name must not contain control or invisible formatting characters.");

    [Theory]
    [InlineData("  Acme Labs  ", "Acme Labs")]
    [InlineData("Acme\n", "Acme")] // trailing whitespace is trimmed, not refused
    [InlineData("Café Zürich", "Café Zürich")]
    [InlineData("Acme\u00a0Labs", "Acme\u00a0Labs")] // a no-break space shows as a space
    [InlineData("日本語チーム", "日本語チーム")]
    [InlineData("\U0001F469\u200d\U0001F4BB Devs", "\U0001F469\u200d\U0001F4BB Devs")] // woman technologist
    [InlineData("\U0001F468\U0001F3FD\u200d\U0001F4BB", "\U0001F468\U0001F3FD\u200d\U0001F4BB")] // with a skin tone
    [InlineData("\u2764\ufe0f\u200d\U0001F525", "\u2764\ufe0f\u200d\U0001F525")] // heart on fire: the joiner follows a variation selector
    [InlineData("\U0001F3F4\u200d\u2620\ufe0f", "\U0001F3F4\u200d\u2620\ufe0f")] // pirate flag
    [InlineData("Scotland \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F", "Scotland \U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F")]
    [InlineData("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")] // Persian with a non-joiner
    [InlineData("\u0915\u094d\u200d\u0937", "\u0915\u094d\u200d\u0937")] // Devanagari: a joiner after a virama
    [InlineData("\u0d28\u0d4d\u200c\u0d28", "\u0d28\u0d4d\u200c\u0d28")] // Malayalam: a non-joiner after a virama
    public void Visible_names_in_any_script_and_emoji_sequences_are_accepted(string name, string stored) =>
        Assert.Equal(stored, InputRules.Name(name));

    [Fact]
    public void Lone_surrogates_are_an_invalid_name()
    {
        // Not in [InlineData]: attribute strings are stored as UTF-8, which cannot hold them.
        foreach (var name in new[] { "x\ud800y", "x\udc00", "\ud83d" })
            AssertRefused(name, UserErrorCodes.InvalidName, "Name must not contain control or invisible formatting characters.");
    }

    [Fact]
    public void A_name_too_long_is_refused_before_its_characters_are_looked_at() =>
        AssertRefused(new string('n', 100) + "\u0007", UserErrorCodes.NameTooLong, "Name must be at most 100 characters.");

    [Fact]
    public void Descriptions_keep_line_breaks_and_tabs_but_no_other_control_characters()
    {
        Assert.Equal("Line one\r\nLine two\n\tindented \U0001F469\u200d\U0001F4BB \u200f", InputRules.Description("  Line one\r\nLine two\n\tindented \U0001F469\u200d\U0001F4BB \u200f\n"));
        foreach (var description in new[] { "a\u0007b", "a\u0000b", "a\u001bb", "a\u0085b", "a\u007fb" })
        {
            var error = Assert.Throws<UserErrorException>(() => InputRules.Description(description));
            Assert.Equal((UserErrorCodes.InvalidDescription, "Description must not contain control characters other than line breaks and tabs."), (error.Code, error.Message));
            Assert.Equal(["input", "description"], error.Field);
        }
    }

    [Fact]
    public async Task Grains_refuse_invisible_names_and_keep_what_they_had()
    {
        await using var silo = await GrainSilo.StartAsync(() => new MemoryGrainStorage());
        var organization = silo.Grains.GetGrain<IOrganizationGrain>("org_names");
        await AssertCodeAsync(UserErrorCodes.NameRequired, ["input", "name"], () => organization.Create(Alice, "\u200b", null));
        await organization.Create(Alice, "Acme", "Rockets\nand more");

        await AssertCodeAsync(UserErrorCodes.NameRequired, ["input", "name"], () => organization.Update(Alice, "\u200b", null));
        await AssertCodeAsync(UserErrorCodes.InvalidName, ["input", "name"], () => organization.Update(Alice, "\u202eevil", "Changed"));
        await AssertCodeAsync(UserErrorCodes.InvalidDescription, ["input", "description"], () => organization.Update(Alice, null, "bell\u0007"));
        var profile = await organization.Get(Alice);
        Assert.Equal(("Acme", "Rockets\nand more"), (profile.Name, profile.Description));

        await AssertCodeAsync(UserErrorCodes.InvalidName, ["input", "name"], () => organization.CreateWorkspace(Alice, "Re\u200bsearch", null));
        Assert.Empty(await organization.GetWorkspaces(Alice, includeArchived: true));
        var workspaceId = (await organization.CreateWorkspace(Alice, "\U0001F469\u200d\U0001F52C Research", null)).Id;
        var workspace = silo.Grains.GetGrain<IWorkspaceGrain>(workspaceId);
        await AssertCodeAsync(UserErrorCodes.InvalidName, ["input", "name"], () => workspace.Update(Alice, "x\u2066y", null));
        await AssertCodeAsync(UserErrorCodes.NameRequired, ["input", "name"], () => workspace.RegisterResource(Alice, "AGENT", "\ufeff", null));
        await AssertCodeAsync(UserErrorCodes.InvalidName, ["input", "name"], () => workspace.RegisterResource(Alice, "AGENT", "Help\u2028er", "a-1"));
        var card = await workspace.Get(Alice);
        Assert.Equal("\U0001F469\u200d\U0001F52C Research", card.Name);
        Assert.Empty(card.ResourceCounts);
    }

    private static void AssertRefused(string name, string code, string message)
    {
        var error = Assert.Throws<UserErrorException>(() => InputRules.Name(name));
        Assert.Equal((code, message), (error.Code, error.Message));
        Assert.Equal(["input", "name"], error.Field);
    }

    private static async Task AssertCodeAsync(string code, string[] field, Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<UserErrorException>(action);
        Assert.Equal(code, error.Code);
        Assert.Equal(field, error.Field);
    }
}

namespace BalticAI.Sovereignty.Api.Infrastructure.Hardening;

/// <summary>The one wording of a time setting out of its range, so every refused key reads alike at start.</summary>
internal static class SettingRange
{
    /// <returns>Whether the value is in range, for a rule that compares another setting with it.</returns>
    public static bool Check(List<string> failures, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            failures.Add($"{key} is {value}; it must be between {min:c} and {max:c}");
            return false;
        }
        return true;
    }
}

using System.Text;

namespace LsrGen.Generator.Emit;

/// <summary>Hint names that are valid file names and unique: the type's full name with anything unusual escaped.</summary>
internal static class HintNames
{
    public static string ForType(string fullName) => Sanitize(fullName) + ".LsrKernels.g.cs";

    public static string ForKernel(int classes) => "LsrGen.Kernels.K" + classes.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".g.cs";

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (char.IsLetterOrDigit(c) || c == '.' || c == '_')
            {
                builder.Append(c);
            }
            else
            {
                // Escape as _xHHHH so that two distinct names never collide.
                builder.Append("_x").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}

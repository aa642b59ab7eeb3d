using System;
using System.IO;
using LsrGen.Tools;

// Writes the runtime's files that come from templates; a test fails when a committed one differs from what its template
// writes. Run from the repository root: dotnet run --project tools/LsrGen.Templates
foreach ((string path, string text) in Templates.All)
{
    File.WriteAllText(path, text);
    Console.WriteLine($"wrote {path}");
}

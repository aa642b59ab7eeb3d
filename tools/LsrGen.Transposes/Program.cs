using System;
using System.IO;
using LsrGen.Tools;

// Writes runtime/Shapes/GatheredBlocks/ClassTransposes.cs from ClassTransposesTemplate.cs; a test fails when the
// committed file differs. Run from the repository root: dotnet run --project tools/LsrGen.Transposes
string path = args.Length > 0 ? args[0] : Path.Combine("runtime", "Shapes", "GatheredBlocks", "ClassTransposes.cs");
File.WriteAllText(path, ClassTransposesTemplate.Render());
Console.WriteLine($"wrote {path}");

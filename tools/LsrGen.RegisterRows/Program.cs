using System;
using System.IO;
using LsrGen.Tools;

// Writes runtime/Shapes/RowLoops/RowKernels.Registers.cs from its template (RegisterRowsTemplate.cs); a test fails when
// the committed file differs. Run from the repository root: dotnet run --project tools/LsrGen.RegisterRows
string path = args.Length > 0 ? args[0] : Path.Combine("runtime", "Shapes", "RowLoops", "RowKernels.Registers.cs");
File.WriteAllText(path, RegisterRowsTemplate.Render());
Console.WriteLine($"wrote {path}");

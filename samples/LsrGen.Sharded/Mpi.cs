using System;
using System.Runtime.InteropServices;

namespace LsrGen.Sharded;

/// <summary>
/// The six MPI calls this sample needs, bound to Open MPI's C library (libmpi.so.40, Debian's openmpi 4.1) by
/// P/Invoke: Init, rank and size of MPI_COMM_WORLD, Allreduce of doubles with MAX or SUM, and Finalize.
/// </summary>
/// <remarks>
/// Open MPI's handles (MPI_COMM_WORLD, MPI_DOUBLE, MPI_MAX, MPI_SUM) are the addresses of global objects in the
/// library, read with <see cref="NativeLibrary.GetExport"/>. The library is opened with RTLD_GLOBAL first: Open MPI
/// loads its components as plugins that resolve symbols from libmpi, which a default (local) dlopen hides.
/// </remarks>
internal static unsafe partial class Mpi
{
    private const string Library = "libmpi.so.40";
    private const int RtldNow = 2;
    private const int RtldGlobal = 0x100;

    private static nint s_world;
    private static nint s_double;
    private static nint s_max;
    private static nint s_sum;

    public static int Rank { get; private set; }

    public static int Size { get; private set; }

    public static void Init()
    {
        if (dlopen(Library, RtldNow | RtldGlobal) == 0)
        {
            throw new DllNotFoundException($"{Library} did not load: install Open MPI (Debian: openmpi-bin, libopenmpi-dev).");
        }

        nint library = NativeLibrary.Load(Library);
        s_world = NativeLibrary.GetExport(library, "ompi_mpi_comm_world");
        s_double = NativeLibrary.GetExport(library, "ompi_mpi_double");
        s_max = NativeLibrary.GetExport(library, "ompi_mpi_op_max");
        s_sum = NativeLibrary.GetExport(library, "ompi_mpi_op_sum");
        Check(MPI_Init(null, null), "MPI_Init");
        Check(MPI_Comm_rank(s_world, out int rank), "MPI_Comm_rank");
        Check(MPI_Comm_size(s_world, out int size), "MPI_Comm_size");
        (Rank, Size) = (rank, size);
    }

    /// <summary>Every rank's values combined element by element with MAX, in place.</summary>
    public static void AllReduceMax(Span<double> values) => AllReduce(values, s_max);

    /// <summary>Every rank's values added element by element, in place.</summary>
    public static void AllReduceSum(Span<double> values) => AllReduce(values, s_sum);

    public static void Close() => Check(MPI_Finalize(), "MPI_Finalize");

    private static void AllReduce(Span<double> values, nint op)
    {
        fixed (double* buffer = values)
        {
            // MPI_IN_PLACE is (void*)1 in Open MPI.
            Check(MPI_Allreduce((void*)1, buffer, values.Length, s_double, op, s_world), "MPI_Allreduce");
        }
    }

    private static void Check(int code, string call)
    {
        if (code != 0)
        {
            throw new InvalidOperationException($"{call} failed with MPI error {code}.");
        }
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint dlopen(string file, int mode);

    [LibraryImport(Library)]
    private static partial int MPI_Init(int* argc, byte*** argv);

    [LibraryImport(Library)]
    private static partial int MPI_Finalize();

    [LibraryImport(Library)]
    private static partial int MPI_Comm_rank(nint comm, out int rank);

    [LibraryImport(Library)]
    private static partial int MPI_Comm_size(nint comm, out int size);

    [LibraryImport(Library)]
    private static partial int MPI_Allreduce(void* sendBuffer, void* receiveBuffer, int count, nint datatype, nint op, nint comm);
}

// libLibTorchSharp.so (built with GCC 13) asks GCC 13's libstdc++ for std::ios_base_library_init(), which GCC 13's
// <iostream> calls to initialise the standard streams. Debian 12's libstdc++ (GCC 12) initialises them itself and
// has no such function: this library defines it, doing what GCC 13's does.
#include <ios>

namespace std
{
    void ios_base_library_init()
    {
        static ios_base::Init init;
    }
}

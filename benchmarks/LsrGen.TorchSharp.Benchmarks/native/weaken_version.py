"""Marks one version that an ELF shared library needs from another as weak (VER_FLG_WEAK), so that the dynamic
loader warns instead of refusing to load the library when that version is missing.

Usage: weaken_version.py LIBRARY VERSION   (for example libLibTorchSharp.so GLIBCXX_3.4.32)
Prints what it did; exits 0 when the version is weak afterwards, 1 when the library does not need it.
"""
import struct
import sys

SHT_GNU_VERNEED = 0x6FFFFFFE
VER_FLG_WEAK = 0x2


def main(path: str, version: str) -> int:
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            print(f"{path}: not a little-endian 64-bit ELF file")
            return 1
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
        sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
        for _, sh_type, _, _, offset, _, link, count, _, _ in sections:
            if sh_type != SHT_GNU_VERNEED:
                continue
            strings = sections[link][4]
            need = offset
            for _ in range(count):
                _, aux_count, _, aux, next_need = struct.unpack_from("<HHIII", data, need)
                entry = need + aux
                for _ in range(aux_count):
                    _, flags, _, name, next_aux = struct.unpack_from("<IHHII", data, entry)
                    end = data.index(0, strings + name)
                    if data[strings + name:end].decode() == version:
                        struct.pack_into("<H", data, entry + 4, flags | VER_FLG_WEAK)
                        f.seek(0)
                        f.write(data)
                        print(f"{path}: {version} is weak")
                        return 0
                    entry += next_aux
                need += next_need
    print(f"{path}: does not need {version}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

#!/usr/bin/env python3
"""Re-run a draw (undian) of Baliho Pangkalpinang from its minutes, with the standard library.

Usage:  python3 docs/undian.py SEED NUMBERS < items.txt

SEED is the seed printed on the berita acara undian, NUMBERS the contestants' nomor urut
separated by commas (``1,2,3``), and items.txt holds one item per line as
``SITE|FACE|START|END|TIER`` (dates YYYY-MM-DD, TIER empty when the site has none). Prints the
SHA-256 of the items, to compare with the minutes, then each item in the draw's order with the
nomor urut it went to, or KPU for the faces kept for voter education.

Written apart from the application on purpose: the README's description is enough to write it.
"""
import hashlib
import sys


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw(seed, numbers, lines):
    def tier(line):
        value = line.split("|")[4]
        return (value == "", int(value) if value else 0)

    order = sorted(lines, key=lambda line: (*tier(line), sha256(seed + "\n" + line)))
    dealing = sorted(numbers, key=lambda number: sha256(seed + "\n#" + str(number)))
    dealt = len(dealing) * (len(order) // len(dealing))
    return [(line, dealing[i % len(dealing)] if i < dealt else None)
            for i, line in enumerate(order)]


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    seed, numbers = argv[1], [int(n) for n in argv[2].split(",")]
    lines = [line.strip() for line in sys.stdin if line.strip()]
    print("items sha256", sha256("\n".join(sorted(lines))))
    for line, number in draw(seed, numbers, lines):
        print(line, "KPU" if number is None else number)


if __name__ == "__main__":
    main(sys.argv)

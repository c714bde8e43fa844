"""Print each region's outer edge and shared boundaries (km) from the shipped geometry: the
figures marked reliability D in data/enforcement/*.yaml come from here.

    python tools/border_lengths.py [REGIONS]   # default: ukraine
"""

from __future__ import annotations

import sys

from guarantor.enforce.geometry import boundary_lengths
from guarantor.scenario import load_regions, region_boundaries


def main(name: str = "ukraine") -> None:
    boundaries = boundary_lengths(region_boundaries(load_regions(name)))
    for code in sorted(boundaries.outer):
        shared = ", ".join(
            f"{other} {boundaries.between(code, other):.1f}"
            for other in boundaries.neighbours(code)
        )
        print(f"{code}: outer {boundaries.outer[code]:.1f} km; shared: {shared}")


if __name__ == "__main__":
    main(*sys.argv[1:2])

"""What a deal's territorial terms do to each region: km2 changing hands, with the range
that the sources' disagreement on control gives."""

from __future__ import annotations

from dataclasses import dataclass

from guarantor.model.negotiation import Negotiation
from guarantor.model.territory import RegionSet


@dataclass(frozen=True)
class Transfer:
    """One region under one deal. ``km2`` > 0 passes from the protected state to the
    occupier, < 0 back to the protected state; ``low``/``high`` bound it."""

    issue: str
    region: str
    term: str
    km2: float
    low: float
    high: float
    held_share: float
    """The occupier's share of the region at the control date."""


def transfers(
    negotiation: Negotiation, regions: RegionSet, options: dict[str, str]
) -> list[Transfer]:
    """Per territorial issue of the deal ``{issue: option}``, the area changing hands."""
    out = []
    for issue in negotiation.issues:
        if issue.kind != "territory" or issue.region is None or issue.id not in options:
            continue
        region = regions.region(issue.region)
        option = next(o for o in issue.options if o.id == options[issue.id])
        if region is None or option.territory is None:
            continue
        area = float(region.area_km2.value or 0.0)
        share = region.control.share if region.control else None
        held = float(share.value or 0.0) if share else 0.0
        low_share, high_share = share.range if share and share.range else (held, held)
        if option.territory == "cede_rest":
            km2, low, high = area * (1 - held), area * (1 - high_share), area * (1 - low_share)
        elif option.territory == "return_all":
            km2, low, high = -area * held, -area * high_share, -area * low_share
        else:
            km2 = low = high = 0.0
        out.append(Transfer(issue.id, region.code, option.territory, km2, low, high, held))
    return out

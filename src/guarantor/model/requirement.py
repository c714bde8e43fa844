"""Requirements: what a posture needs, unit by unit, sustained for some years."""

from __future__ import annotations

from collections.abc import Mapping

from guarantor.model.base import Frozen, Text
from guarantor.model.provenance import Figure


class RequirementItem(Frozen):
    """A line of a requirement: so many units of any of these capabilities, in these roles."""

    id: str
    label: Text
    capabilities: tuple[str, ...]
    roles: tuple[str, ...]
    units: Figure


class Requirement(Frozen):
    """What a posture needs deployed at once, how long, and how deep the rotation pool is."""

    id: str
    label: Text
    description: Text
    posture: str
    sustain_years: Figure
    rotation_ratio: Figure
    implies: Mapping[str, bool] = {}
    """Assumptions the posture itself fixes (does it need a combat role? the contact line?)."""
    basis: tuple[str, ...] = ()
    items: tuple[RequirementItem, ...]

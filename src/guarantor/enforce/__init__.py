"""Enforceable deals: the negotiation's deals joined to the forces that must hold them.

Per candidate deal: the line of contact its territorial terms leave (:mod:`.line`), the
force that line needs under the posture the deal implies (:mod:`.requirement`), the pledged
package under the deal's terms (:mod:`.terms`), and the stress test of the deal's guarantee
(:mod:`.chain`); the search keeps the acceptable deals the offered forces can hold
(:mod:`.search`) and, when there are none, says why and what would fix it (:mod:`.fixes`).
"""

"""Guarantor: build and stress-test multinational security guarantees for a peace settlement.

Importing this package opens no database and starts no web stack::

    import guarantor
    scenario = guarantor.load_scenario("ukraine-2025")
    package = guarantor.package_of(scenario)
    result = guarantor.assess(package, guarantor.load_requirement("reassurance"))
    result.to_frame()
"""

from guarantor.api import assess, load_reference, load_requirement, load_scenario, package_of

__all__ = ["assess", "load_reference", "load_requirement", "load_scenario", "package_of"]
__version__ = "0.1.0"

"""Aggregation of offers into a package and its sufficiency against a requirement."""

from guarantor.assess.sufficiency import DEFAULT_READINESS_DAYS, AssessParams, assess

__all__ = ["DEFAULT_READINESS_DAYS", "AssessParams", "assess"]

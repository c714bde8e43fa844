"""Results for people: tables, plots, messages; turns codes into Arabic or English."""

from guarantor.report.messages import describe, describe_all

__all__ = ["describe", "describe_all"]

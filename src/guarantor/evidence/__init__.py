"""Evidence: news documents, who is reported to have said what, and how well it is sourced."""

"""The web portal: FastAPI app factory, thin routes, Jinja2 + HTMX pages, the REST API."""

from guarantor.web.app import create_app

__all__ = ["create_app"]

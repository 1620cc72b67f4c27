"""Every API route, enumerated from the app itself, so new routes are covered automatically.

Read from the app's OpenAPI paths: FastAPI 0.165 mounts routers lazily (`app.routes` holds
`_IncludedRouter` wrappers), and every route of this API is documented."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

PUBLIC = {"/healthz", "/readyz", "/api/auth/signup", "/api/auth/signin",
          "/api/webhooks/subscription"}  # the webhook is HMAC-authenticated, not Bearer


@dataclass(frozen=True)
class Route:
    method: str
    path: str

    def url(self, course_id: str) -> str:
        return self.path.replace("{courseId}", course_id)


def api_routes(app: FastAPI) -> list[Route]:
    return [Route(method.upper(), path) for path, ops in app.openapi()["paths"].items()
            for method in sorted(ops) if method in {"get", "post", "put", "patch", "delete"}]


def authenticated_routes(app: FastAPI) -> list[Route]:
    return [r for r in api_routes(app) if r.path not in PUBLIC]


def course_scoped_routes(app: FastAPI) -> list[Route]:
    return [r for r in api_routes(app) if "{courseId}" in r.path]

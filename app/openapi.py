"""The OpenAPI document: security schemes, problem responses, summaries, examples, tag texts.

FastAPI builds the paths from the routes; this module completes each operation from what the
route itself declares, so the documentation cannot drift from the code:

- its ``Policy`` gives the security requirement, the "who may call" sentence, 401 and 403;
- path parameters give 404, a body gives 413 and 422, an ``If-Match`` header gives 412;
- mutations by an authenticated caller can meet a state conflict (409), ``/auth/token`` a 429.

Every error is declared as ``application/problem+json`` with the ``Problem`` schema (422 with
``ValidationProblem``). A success body without a hand-written example gets one built from its
schema with realistic Vietnamese values (``SAMPLES``).
"""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from app.deps import Policy
from app.openapi_texts import (
    DESCRIPTIONS,
    EXAMPLE_DETAILS,
    POLICY_TEXT,
    SAMPLES,
    SECURITY_SCHEMES,
    TAGS,
    TITLES,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"

_MUTATIONS = {"POST", "PUT", "PATCH", "DELETE"}
_RATE_LIMITED_PATHS = {"/api/v1/auth/token", "/api/v1/me/password"}


class ProblemError(BaseModel):
    """One validation problem: where, and what is wrong (never the rejected value)."""

    loc: list[str | int]
    msg: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    request_id: str | None = None


class ValidationProblem(Problem):
    """A 422 problem with the list of invalid inputs."""

    errors: list[ProblemError]


def _policy(dependant: Any) -> Policy | None:
    if isinstance(dependant.call, Policy):
        return dependant.call
    for sub in dependant.dependencies:
        found = _policy(sub)
        if found is not None:
            return found
    return None


def _walk(routes: list[Any], prefix: str = "", inherited: tuple[Any, ...] = ()) -> list[Any]:
    found: list[Any] = []
    for route in routes:
        if isinstance(route, APIRoute) and route.include_in_schema:
            found.append((prefix + route.path_format, route, inherited))
        elif hasattr(route, "original_router"):  # FastAPI >= 0.16x keeps included routers
            router = route.original_router
            context = route.include_context
            if context.include_in_schema is False or router.include_in_schema is False:
                continue
            found.extend(
                _walk(
                    router.routes,
                    prefix + context.prefix,
                    inherited + tuple(context.dependencies) + tuple(router.dependencies),
                )
            )
    return found


def route_policies(app: FastAPI) -> dict[tuple[str, str], tuple[Policy | None, APIRoute]]:
    """(METHOD, path) of every documented route → the policy it declares, and the route."""
    table: dict[tuple[str, str], tuple[Policy | None, APIRoute]] = {}
    for path, route, inherited in _walk(app.router.routes):
        policy = _policy(route.dependant)
        for dep in inherited:
            if isinstance(dep.dependency, Policy):
                policy = dep.dependency
        for method in route.methods:
            table[(method, path)] = (policy, route)
    return table


def error_statuses(
    method: str, path: str, operation: dict[str, Any], policy: Policy | None
) -> set[int]:
    """The errors a route can answer, derived from what it declares."""
    statuses: set[int] = set()
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    if policy is not None:
        statuses.add(401)  # even a public route refuses an invalid credential
        if policy.roles is not None or (not policy.anonymous and method in _MUTATIONS):
            statuses.add(403)
        if not policy.anonymous and method in _MUTATIONS:
            statuses.add(409)
    if any(p["in"] == "path" for p in parameters):
        statuses.add(404)
    if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in parameters):
        statuses.add(412)
    if has_body:
        statuses.update({413, 422})
    if parameters:
        statuses.add(422)
    if path in _RATE_LIMITED_PATHS:
        statuses.add(429)
    if path == "/readyz":
        statuses.add(503)
    return statuses


def _problem_response(status: int) -> dict[str, Any]:
    schema = "ValidationProblem" if status == 422 else "Problem"
    example: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES[status],
        "status": status,
        "detail": EXAMPLE_DETAILS[status],
    }
    if status == 422:
        example["errors"] = [{"loc": ["body", "title"], "msg": "Field required"}]
    response: dict[str, Any] = {
        "description": DESCRIPTIONS[status],
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "schema": {"$ref": f"#/components/schemas/{schema}"},
                "example": example,
            }
        },
    }
    if status == 429:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
        }
    return response


def _is_number(schema: dict[str, Any]) -> bool:
    options = schema.get("anyOf", [schema])
    return any(option.get("type") == "number" for option in options)


def example_from_schema(
    schema: dict[str, Any], components: dict[str, Any], name: str = "", depth: int = 0
) -> Any:
    """A value that satisfies ``schema``, preferring ``SAMPLES`` for known field names."""
    sample = SAMPLES.get(name)
    if sample is not None and not (_is_number(schema) and not isinstance(sample, float)):
        return sample
    if "$ref" in schema:
        ref = schema["$ref"].rsplit("/", 1)[-1]
        return example_from_schema(components.get(ref, {}), components, name, depth + 1)
    for key in ("examples",):
        if schema.get(key):
            return schema[key][0]
    if "example" in schema:
        return schema["example"]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_from_schema(options[0], components, name, depth + 1)
    kind = schema.get("type")
    if depth > 8:
        return None
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {
            key: example_from_schema(sub, components, key, depth + 1)
            for key, sub in properties.items()
        }
    if kind == "array":
        item = example_from_schema(schema.get("items", {}), components, "", depth + 1)
        return [] if item is None else [item]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "number":
        return 0.5
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2026-07-01T08:30:00Z"
        if fmt == "date":
            return "2026-12-31"
        if fmt == "email":
            return "quantri@vien.example.vn"
        if fmt == "uri":
            return "https://vien.example.vn/webhook"
        return name.replace("_", " ") or "chuỗi"
    return None


def _add_success_examples(operation: dict[str, Any], components: dict[str, Any]) -> None:
    for status, response in operation["responses"].items():
        if not status.startswith("2"):
            continue
        media = response.get("content", {}).get("application/json")
        if media and "example" not in media and "examples" not in media:
            media["example"] = example_from_schema(media.get("schema", {}), components)
    body = operation.get("requestBody", {}).get("content", {})
    for media_type, media in body.items():
        if "example" not in media and "examples" not in media and "json" in media_type:
            media["example"] = example_from_schema(media.get("schema", {}), components)


def _describe(operation: dict[str, Any], policy: Policy | None, explicit_summary: bool) -> None:
    text = operation.get("description", "").strip()
    first = text.split("\n")[0].strip().rstrip(".")
    if not explicit_summary and first and len(first) <= 100:
        operation["summary"] = first  # the docstring's first line beats "Verify Organization"
    if policy is not None:
        text = f"{text}\n\n**Who may call:** {POLICY_TEXT.get(policy.name, policy.name)}"
    operation["description"] = text.strip()


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """The completed OpenAPI document of ``app``."""
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
        tags=TAGS,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (ProblemError, Problem, ValidationProblem):
        model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        model_schema.pop("$defs", None)
        schemas[model.__name__] = model_schema
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    components["securitySchemes"] = SECURITY_SCHEMES

    policies = route_policies(app)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            policy, route = policies[(method.upper(), path)]
            _describe(operation, policy, explicit_summary=route.summary is not None)
            if policy is not None:
                required: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"apiKeyAuth": []}]
                operation["security"] = [{}, *required] if policy.anonymous else required
            responses = operation["responses"]
            responses.pop("422", None)
            for status in sorted(error_statuses(method.upper(), path, operation, policy)):
                responses[str(status)] = _problem_response(status)
            _add_success_examples(operation, schemas)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the completed document at ``/openapi.json`` (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

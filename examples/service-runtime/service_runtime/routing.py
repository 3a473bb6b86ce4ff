"""One route per path, whatever its methods, so 405 answers list every method in Allow.

Starlette answers a method no route of a path accepts with the ``Allow`` of the first route whose
path matched; two routes for one path (GET, then PUT) would make ``PUT`` look unsupported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.routing import Route

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from starlette.requests import Request
    from starlette.responses import Response

    Endpoint = Callable[[Request], Awaitable[Response]]


def path_route(path: str, endpoints: Mapping[str, Endpoint]) -> Route:
    """A route sending each method (HEAD with GET) to its endpoint; 405 with a full Allow else."""
    by_method = {method.upper(): endpoint for method, endpoint in endpoints.items()}
    if "GET" in by_method:
        by_method.setdefault("HEAD", by_method["GET"])

    async def dispatch(request: Request) -> Response:
        return await by_method[request.method](request)

    dispatch.__doc__ = " / ".join(filter(None, (e.__doc__ for e in endpoints.values())))
    return Route(path, dispatch, methods=list(by_method), name=path)

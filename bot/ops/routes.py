"""GET /healthz, /readyz and /metrics on the one web app (see docs/operations.md).

/metrics is not public: without METRICS_TOKEN only a client on this machine may read it;
with METRICS_TOKEN set, every scrape must send `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass
from ipaddress import ip_address

from fastapi import APIRouter, FastAPI, Request
from starlette.responses import JSONResponse, Response

from bot.dialogue.manager import Dialogue
from bot.errors import SettingsError
from bot.ops.health import check_readiness
from bot.ops.metrics import Metrics, instrument, refresh_queue
from bot.settings import PLACEHOLDER_SECRETS


@dataclass(frozen=True)
class OpsConfig:
    metrics_token: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OpsConfig:
        env = os.environ if env is None else env
        token = env.get("METRICS_TOKEN", "").strip() or None
        if token is not None and (len(token) < 16 or token.lower() in PLACEHOLDER_SECRETS):
            raise SettingsError(
                "METRICS_TOKEN is a placeholder or shorter than 16 characters; generate one "
                "with `openssl rand -hex 32`, or unset it to allow /metrics from localhost only"
            )
        return cls(metrics_token=token)


def mount_operations(
    app: FastAPI, dialogue: Dialogue, *, config: OpsConfig | None = None
) -> Metrics:
    """Measure the dialogue and add /healthz, /readyz and /metrics to the app."""
    config = config or OpsConfig.from_env()
    metrics = instrument(dialogue)
    app.include_router(build_ops_router(dialogue, metrics, config))
    return metrics


def build_ops_router(dialogue: Dialogue, metrics: Metrics, config: OpsConfig) -> APIRouter:
    router = APIRouter()

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        """The process is alive and its event loop answers."""
        return JSONResponse({"status": "ok"})

    @router.get("/readyz", include_in_schema=False)
    async def readyz() -> Response:
        """Ready for messages: database, content and NLU; 503 with the reason when not."""
        readiness = await check_readiness(dialogue)
        return JSONResponse(readiness.to_dict(), status_code=200 if readiness.ready else 503,
                            headers={"Cache-Control": "no-store"})

    @router.get("/metrics", include_in_schema=False)
    async def metrics_page(request: Request) -> Response:
        if not _may_scrape(request, config):
            return JSONResponse(
                {"error": "forbidden",
                 "detail": "metrics are for localhost or a bearer token (METRICS_TOKEN)"},
                status_code=403)
        await refresh_queue(dialogue, metrics)
        body, content_type = metrics.render()
        return Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})

    return router


def _may_scrape(request: Request, config: OpsConfig) -> bool:
    if config.metrics_token is not None:
        given = request.headers.get("authorization", "")
        scheme, _, token = given.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            token.strip().encode(), config.metrics_token.encode())
    host = request.client.host if request.client else ""
    try:
        return ip_address(host).is_loopback
    except ValueError:  # no address at all (e.g. a Unix socket): not known to be local
        return False

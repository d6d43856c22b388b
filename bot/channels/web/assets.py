"""The page's script and style sheet, read once when the router is built and served from memory.

URLs carry a content hash (`?v=...`), so phones may cache them for a year and still get a new
version the moment it ships; requests without the current hash are revalidated by ETag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from starlette.responses import Response

STATIC_DIR = Path(__file__).parent / "static"
MEDIA_TYPES = {
    "chat.js": "text/javascript; charset=utf-8",
    "ui-strings.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    media_type: str
    version: str

    @property
    def etag(self) -> str:
        return f'"{self.version}"'

    def response(self, *, requested_version: str | None, if_none_match: str | None) -> Response:
        """Serve the file, or 304 when the browser already holds this version."""
        cache = (
            "public, max-age=31536000, immutable"
            if requested_version == self.version
            else "no-cache"
        )
        headers = {"ETag": self.etag, "Cache-Control": cache, "X-Content-Type-Options": "nosniff"}
        if if_none_match and self.etag in {tag.strip() for tag in if_none_match.split(",")}:
            return Response(status_code=304, headers=headers)
        return Response(self.body, media_type=self.media_type, headers=headers)


def load_assets(directory: Path = STATIC_DIR) -> dict[str, Asset]:
    assets = {}
    for name, media_type in MEDIA_TYPES.items():
        body = (directory / name).read_bytes()
        assets[name] = Asset(body, media_type, hashlib.sha256(body).hexdigest()[:16])
    return assets

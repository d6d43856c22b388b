"""ContentIssue: one problem in the content, said so an editor can find and fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentIssue:
    file: str
    line: int
    flow: str | None
    step: str | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        """`file:line: flow/step: message (fix)`; missing parts are left out."""
        where = "/".join(part for part in (self.flow, self.step) if part)
        text = f"{self.file}:{self.line}: "
        if where:
            text += f"{where}: "
        text += self.message
        if self.fix:
            text += f" ({self.fix})"
        return text

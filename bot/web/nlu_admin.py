"""Retraining and evaluating the NLU from the console, in the background.

One job runs at a time; the page polls `status()`. A retrain trains on the published data
(bot/web/nlu_store.py) and, only when that worked and the new model passes a quick check,
puts it in place of the running one: until then, and after a failure, the old one serves.
With the rasa engine the Rasa server trains and loads the model through its API first.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.errors import NLUError
from bot.nlu.base import NLUEngine
from bot.nlu.embedded import EmbeddedNLU
from bot.nlu.evaluation import Report, evaluate, evaluate_async
from bot.nlu.pivot import PivotNLU
from bot.nlu.rasa_client import FallbackNLU, RasaNLU
from bot.nlu.training_data import TrainingData, dump_training_data, read_training_data
from bot.settings import Settings
from bot.web.nlu_store import data_dir, nlu_source, published_texts

logger = logging.getLogger(__name__)

HELDOUT = Path("tests/nlu_heldout")
REPORT_FILE = "console-evaluation.json"
MIN_SELF_CHECK = 0.8  # share of intents whose first example the new model must get right
TOP_CONFUSIONS = 15


class RunningNLU:
    """Where the running bot keeps its NLU engine (Services.nlu), read and replaced here."""

    def __init__(self, holder: Any) -> None:
        self.holder = holder

    def get(self) -> NLUEngine:
        engine: NLUEngine = self.holder.nlu
        return engine

    def set(self, engine: NLUEngine) -> None:
        self.holder.nlu = engine


@dataclass
class JobStatus:
    state: str = "idle"  # idle | running | succeeded | failed
    kind: str = ""  # retrain | evaluate
    step: str = ""
    done: int = 0
    total: int = 0
    message: str = ""
    started: str = ""
    finished: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class EvaluationView:
    """What the report section shows (kept as JSON next to the model cache)."""

    at: str
    engine: str
    total: int
    accuracy: float
    base_accuracy: float
    macro_f1: float
    seconds: float
    per_language: dict[str, dict[str, float]] = field(default_factory=dict)
    confusions: list[dict[str, Any]] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    matrix: list[list[int]] = field(default_factory=list)
    data_hash: str = ""

    @classmethod
    def from_report(cls, report: Report, data: TrainingData, engine: str, seconds: float,
                    data_hash: str) -> EvaluationView:
        pairs = Counter((e["intent"], e["predicted"]) for e in report.errors)
        confusions = [{"expected": a, "predicted": b, "count": n}
                      for (a, b), n in pairs.most_common(TOP_CONFUSIONS)]
        labels, matrix = base_matrix(data, report)
        return cls(
            at=datetime.now(UTC).isoformat(timespec="seconds"), engine=engine,
            total=report.total, accuracy=report.accuracy, base_accuracy=report.base_accuracy,
            macro_f1=report.macro_f1, seconds=round(seconds, 2),
            per_language=report.per_language, confusions=confusions, labels=labels,
            matrix=matrix, data_hash=data_hash,
        )


def base_matrix(data: TrainingData, report: Report) -> tuple[list[str], list[list[int]]]:
    """The confusion matrix on base intents (rows expected, columns predicted)."""
    cells: Counter[tuple[str, str]] = Counter()
    for example in data.examples:
        cells[example.base_intent, example.base_intent] += 1
    for error in report.errors:
        expected, predicted = error["intent"].split("/")[0], error["predicted"].split("/")[0]
        cells[expected, expected] -= 1
        cells[expected, predicted] += 1
    labels = sorted({a for a, _ in cells} | {b for _, b in cells})
    return labels, [[max(cells[a, b], 0) for b in labels] for a in labels]


def unwrap(engine: NLUEngine) -> NLUEngine:
    """The engine that classifies (no translation pivot; Rasa itself, not its stand-in)."""
    from bot.ops.metrics import MeasuredNLU

    if isinstance(engine, MeasuredNLU):
        return unwrap(engine.inner)
    if isinstance(engine, PivotNLU):
        return unwrap(engine.engine)
    if isinstance(engine, FallbackNLU):
        return unwrap(engine.primary)
    return engine


def with_new_model(current: NLUEngine, new: EmbeddedNLU) -> NLUEngine:
    """`current` with its embedded model replaced by `new` (wrappers and Rasa kept)."""
    from bot.ops.metrics import MeasuredNLU

    if isinstance(current, MeasuredNLU):
        return MeasuredNLU(with_new_model(current.inner, new), current.metrics)
    if isinstance(current, PivotNLU):
        return PivotNLU(with_new_model(current.engine, new), current.translator,
                        current.threshold)
    if isinstance(current, FallbackNLU):
        return FallbackNLU(current.primary, with_new_model(current.fallback, new),
                           current.retry_after)
    return new


def self_check(engine: EmbeddedNLU, data: TrainingData) -> float:
    """Share of intents whose first training example the model classifies as that intent."""
    firsts: dict[str, str] = {}
    for example in data.examples:
        firsts.setdefault(example.intent, example.text)
    if not firsts:
        return 0.0
    hits = sum(engine.parse_sync(text).intent.name == intent for intent, text in firsts.items())
    return hits / len(firsts)


Trainer = Callable[[Path, Path, float], EmbeddedNLU]


class NLUAdmin:
    """The console's handle on training: one background job at a time, and its status."""

    def __init__(
        self, settings: Settings, sessions: async_sessionmaker[AsyncSession],
        running: RunningNLU | None, *, heldout: Path | None = None,
        trainer: Trainer | None = None,
        on_swap: list[Callable[[], Awaitable[None]]] | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.running = running
        self.heldout = heldout or settings.path(HELDOUT)
        self.trainer: Trainer = trainer or EmbeddedNLU.load_or_train
        self.on_swap = on_swap or []
        self.job = JobStatus()
        self.swaps = 0
        self._task: asyncio.Task[None] | None = None
        self._report: EvaluationView | None = None
        self._report_loaded = False

    # -- status ---------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.job.state == "running"

    def status(self) -> dict[str, Any]:
        out = self.job.to_dict()
        model = self.model()
        out["model"] = describe(model) if model is not None else None
        return out

    def model(self) -> NLUEngine | None:
        return unwrap(self.running.get()) if self.running is not None else None

    def report(self) -> EvaluationView | None:
        """The last evaluation (from memory or the cache file); never runs one."""
        if not self._report_loaded:
            self._report_loaded = True
            path = self._report_path()
            try:
                self._report = EvaluationView(**json.loads(path.read_text("utf-8")))
            except FileNotFoundError:
                self._report = None
            except (OSError, ValueError, TypeError) as exc:
                logger.warning("ignoring the unreadable evaluation cache %s: %s", path, exc)
                self._report = None
        return self._report

    def _report_path(self) -> Path:
        return self.settings.path(self.settings.nlu.cache_dir) / REPORT_FILE

    # -- starting jobs ----------------------------------------------------------------------

    def start(self, kind: str, actor: str) -> bool:
        """Start `retrain` or `evaluate` in the background; False when a job is running."""
        if self.busy:
            return False
        self.job = JobStatus(state="running", kind=kind, step="starting",
                             started=_now(), message=f"started by {actor}")
        work = self._retrain if kind == "retrain" else self._evaluate
        self._task = asyncio.create_task(self._run(work))
        return True

    async def wait(self) -> None:
        """Until the running job (if any) ends: for tests and shutdown."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def _run(self, work: Callable[[], Awaitable[str]]) -> None:
        started = time.perf_counter()
        try:
            message = await work()
        except NLUError as exc:
            self._finish("failed", f"{exc} — the running model was kept.", started)
        except Exception as exc:  # the boundary of a background job: log it, show it, keep serving
            logger.exception("NLU %s job failed", self.job.kind)
            self._finish("failed", f"unexpected error: {exc!r} — the running model was kept.",
                         started)
        else:
            self._finish("succeeded", message, started)

    def _finish(self, state: str, message: str, started: float) -> None:
        self.job.state, self.job.message = state, message
        self.job.step = "done" if state == "succeeded" else "failed"
        self.job.finished = _now()
        self.job.seconds = round(time.perf_counter() - started, 2)

    # -- the jobs -------------------------------------------------------------------------

    async def _retrain(self) -> str:
        self.job.step = "reading the published training data"
        async with self.sessions() as session:
            overrides = await published_texts(session)
        source, cache = await asyncio.to_thread(nlu_source, self.settings, overrides)
        data = await asyncio.to_thread(read_training_data, [source])
        if self.settings.nlu.engine == "rasa":
            await self._rasa_train(data)
        self.job.step = f"training the embedded model on {len(data.examples)} examples"
        new = await asyncio.to_thread(self.trainer, source, cache, self.settings.nlu.threshold)
        self.job.step = "checking the new model"
        share = await asyncio.to_thread(self_check, new, data)
        if share < MIN_SELF_CHECK:
            raise NLUError(f"the new model recognised only {share:.0%} of the intents' own "
                           "first examples")
        if self.running is None:
            return "trained, but no running bot in this process to give it to"
        self.running.set(with_new_model(self.running.get(), new))
        self.swaps += 1
        for hook in self.on_swap:
            await hook()
        how = "loaded from the cache (the data had not changed)" if new.from_cache else (
            f"trained in {new.training_seconds:.1f} s")
        try:
            note = await self._evaluate(after_training=True)
        except NLUError as exc:
            note = f"The evaluation failed: {exc}"
        return f"New model {how} and in use: {len(data.examples)} examples. {note}"

    async def _rasa_train(self, data: TrainingData) -> None:
        url = self.settings.secrets.rasa_url
        if not url:
            raise NLUError("the rasa engine needs RASA_URL")
        base = data_dir(self.settings)
        config = (base / "config.yml").read_text("utf-8")
        domain = (base / "domain.yml").read_text("utf-8")
        client = RasaNLU(url)
        try:
            self.job.step = "the Rasa server is training (this can take minutes)"
            model = await client.train(config, domain, dump_training_data(data))
            self.job.step = f"the Rasa server loads {model}"
            await client.load(model)
        finally:
            await client.aclose()

    async def _evaluate(self, after_training: bool = False) -> str:
        engine = self.model()
        if engine is None:
            raise NLUError("no running NLU in this process to evaluate")
        if not self.heldout.exists():
            if after_training:
                return "no held-out data"
            raise NLUError(f"no held-out test data at {self.heldout}")
        self.job.step = "evaluating on the held-out examples"
        data = await asyncio.to_thread(read_training_data, [self.heldout])
        self.job.done, self.job.total = 0, len(data.examples)

        def progress(done: int, total: int) -> None:
            self.job.done, self.job.total = done, total

        started = time.perf_counter()
        if isinstance(engine, EmbeddedNLU):  # CPU work: in a thread, the bot keeps answering
            report = await asyncio.to_thread(evaluate, engine, data, None, progress=progress)
        else:  # an HTTP engine is bound to this event loop
            report = await evaluate_async(engine, data, progress=progress)
        view = EvaluationView.from_report(report, data, engine.name,
                                          time.perf_counter() - started,
                                          getattr(engine, "data_hash", ""))
        self._report, self._report_loaded = view, True
        path = self._report_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(view), ensure_ascii=False), encoding="utf-8")
        return (f"Evaluated {view.total} held-out examples in {view.seconds:.1f} s: "
                f"accuracy {view.accuracy:.1%}.")


def describe(engine: NLUEngine) -> dict[str, Any]:
    info: dict[str, Any] = {"engine": engine.name, "data_hash": "", "trained_at": ""}
    if isinstance(engine, EmbeddedNLU):
        info["data_hash"] = engine.data_hash[:12]
        info["trained_at"] = datetime.fromtimestamp(engine.trained_at, UTC).isoformat(
            timespec="seconds") if engine.trained_at else ""
    return info


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


"""The flow DSL: content model, YAML reader/writer with line numbers, checks, engine, diagrams.

Pure: no database and no network; the only I/O is reading the files passed in (and writing
diagrams where asked). The format is docs/flows.md.
"""

from bot.flows.dates import DateProblem, ParsedDate, parse_date
from bot.flows.diagram import to_mermaid, write_diagrams
from bot.flows.engine import MAX_RETRIES, FlowEngine
from bot.flows.expressions import ExpressionError, compile_expression, evaluate
from bot.flows.issues import ContentIssue
from bot.flows.loader import (
    load_answers_text,
    load_bundle,
    load_bundle_texts,
    load_flow_text,
    load_keywords_text,
    load_rules_text,
)
from bot.flows.model import Answer, ContentBundle, Flow, Keywords, LocalText, Rule, Source, Step
from bot.flows.slots import SlotInvalid, SlotOk, validate_answer
from bot.flows.state import FlowOutput, FlowState, SlotNote, StaleStateError, StepOutcome
from bot.flows.validation import check_bundle, check_content
from bot.flows.writer import dump_answers, dump_flow, dump_keywords, dump_rules

__all__ = [
    "MAX_RETRIES",
    "Answer",
    "ContentBundle",
    "ContentIssue",
    "DateProblem",
    "ExpressionError",
    "Flow",
    "FlowEngine",
    "FlowOutput",
    "FlowState",
    "Keywords",
    "LocalText",
    "ParsedDate",
    "Rule",
    "SlotInvalid",
    "SlotNote",
    "SlotOk",
    "Source",
    "StaleStateError",
    "Step",
    "StepOutcome",
    "check_bundle",
    "check_content",
    "compile_expression",
    "dump_answers",
    "dump_flow",
    "dump_keywords",
    "dump_rules",
    "evaluate",
    "load_answers_text",
    "load_bundle",
    "load_bundle_texts",
    "load_flow_text",
    "load_keywords_text",
    "load_rules_text",
    "parse_date",
    "to_mermaid",
    "validate_answer",
    "write_diagrams",
]

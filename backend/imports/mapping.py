"""Column mappings: which CSV column feeds which lead field, and how the file writes its values.

A mapping is a small TOML or JSON file (format: backend/imports/README.md). Unknown keys are errors: a typo in a
mapping must not silently drop a column from the import.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
import tomllib
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from backend.leads.models import SourceCategory

SHIPPED_DIR = Path(__file__).resolve().parent / "mappings"
DELIMITERS = {",": ",", ";": ";", "\t": "\t", "tab": "\t", "\\t": "\t", "|": "|"}
TEMPLATE_FIELD = re.compile(r"\{([^{}]+)\}")
TIME_DIRECTIVES = re.compile(r"%[HIMSpfzXcT]")


class MappingError(ValueError):
    """The mapping itself is unusable; raised before a single row is read."""


@lru_cache(maxsize=16_384)
def normalize_key(raw: str) -> str:
    """How file values are matched against a mapping's value tables: trimmed, case-insensitive."""
    return " ".join(raw.split()).casefold()


@dataclass(frozen=True)
class ValueMap:
    """Translates file values (matched case-insensitively) into ours; `lookup` is None for unlisted values."""

    entries: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, where: str, raw: Any) -> ValueMap:
        table = _table(where, raw)
        entries: dict[str, str] = {}
        for key, value in table.items():
            if not isinstance(value, str):
                raise MappingError(f"{where}.{key}: expected a string, got {value!r}")
            norm = normalize_key(key)
            if norm in entries and entries[norm] != value.strip():
                raise MappingError(f"{where}: {key!r} is listed twice with different targets")
            entries[norm] = value.strip()
        return cls(entries)

    def lookup(self, raw: str) -> str | None:
        return self.entries.get(normalize_key(raw))

    def targets(self) -> set[str]:
        return set(self.entries.values())

    def keys_text(self) -> str:
        return ", ".join(sorted(self.entries)) or "(none)"


@dataclass(frozen=True)
class FileFormat:
    encoding: str = "utf-8"
    delimiter: str = ","
    quotechar: str = '"'
    decimal_separator: str = "."
    thousands_separator: str = ""
    # None: ISO 8601 only (2024-03-01, 2024-03-01T09:30:00+01:00); anything else is refused, never guessed.
    date_format: str | None = None
    # For date-and-time values without an offset. Date-only values never shift (see values.py).
    timezone: str = "UTC"
    # Values that mean "empty" in this export, e.g. x-education's "Select" (a form field left unchosen).
    empty_values: frozenset[str] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Columns:
    """Main-file columns per lead field (None: not in this export). Title is a list of templates."""

    external_id: str
    title: tuple[str, ...]
    description: tuple[str, ...] = ()
    value: str | None = None
    stage: str | None = None
    sales_person: str | None = None
    contact_person: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_job_title: str | None = None
    organization: str | None = None
    industry: str | None = None
    employee_count: str | None = None
    annual_revenue: str | None = None
    country: str | None = None
    region: str | None = None
    city: str | None = None
    website: str | None = None
    product: str | None = None
    source: str | None = None
    created_at: str | None = None
    close_date: str | None = None
    tags: str | None = None
    lost_reason: str | None = None

    def used(self) -> list[tuple[str, str]]:
        """(lead field, file column) for every column this mapping reads, templates included."""
        pairs: list[tuple[str, str]] = []
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str):
                pairs.append((f.name, value))
            elif f.name == "title":
                pairs.extend(("title", col) for template in value for col in TEMPLATE_FIELD.findall(template))
            elif f.name == "description":
                pairs.extend(("description", col) for col in value)
        return pairs


REFERENCE_FIELDS = {
    "organizations": {
        "name",
        "industry",
        "employee_count",
        "annual_revenue",
        "country",
        "region",
        "city",
        "website",
        "parent_name",
    },
    "products": {"name", "sku", "category", "list_price", "description"},
    "sales_persons": {"name", "email"},
}


@dataclass(frozen=True)
class ReferenceFile:
    """A second CSV (same format as the main file) whose rows describe what a main-file column names."""

    kind: str
    file: str
    key: str
    columns: dict[str, str]

    def column(self, name: str) -> str | None:
        return self.columns.get(name)


@dataclass(frozen=True)
class Mapping:
    name: str
    columns: Columns
    description: str = ""
    external_id_prefix: str = ""
    currency: str = "USD"
    pipeline: str | None = None
    file: FileFormat = FileFormat()
    stages: ValueMap = ValueMap()
    default_stage: str | None = None
    sources: ValueMap = ValueMap()
    new_sources: dict[str, SourceCategory] = field(default_factory=dict)
    # "error": a source value the mapping does not know makes the row invalid; "empty": the lead gets no source.
    unknown_source: str = "error"
    values: dict[str, ValueMap] = field(default_factory=dict)
    # Stages whose value column does not hold the deal size (maven-crm: lost deals have close_value 0).
    ignore_value_in_stages: frozenset[str] = frozenset()
    tag_separator: str | None = None
    annual_revenue_scale: Decimal = Decimal(1)
    references: dict[str, ReferenceFile] = field(default_factory=dict)
    origin: str = ""

    def prefixed(self, kind: str, key: str) -> str:
        """External ids are namespaced per mapping, so two exports never claim each other's records."""
        return f"{self.external_id_prefix}:{key}" if kind == "lead" else f"{self.external_id_prefix}:{kind}:{key}"

    def translate(self, field_name: str, raw: str) -> str:
        table = self.values.get(field_name)
        found = table.lookup(raw) if table else None
        return raw if found is None else found

    def with_overrides(self, *, delimiter: str | None = None, encoding: str | None = None) -> Mapping:
        changes: dict[str, Any] = {}
        if delimiter is not None:
            changes["delimiter"] = _delimiter("--delimiter", delimiter)
        if encoding is not None:
            changes["encoding"] = _encoding("--encoding", encoding)
        return dataclasses.replace(self, file=dataclasses.replace(self.file, **changes)) if changes else self

    @property
    def stage_codes(self) -> set[str]:
        codes = self.stages.targets() | set(self.ignore_value_in_stages)
        return codes | ({self.default_stage} if self.default_stage else set())


# --- loading ---------------------------------------------------------------------------------------------------


def shipped_mappings() -> list[str]:
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.toml")) + sorted(p.stem for p in SHIPPED_DIR.glob("*.json"))


def load_mapping(name_or_path: str | Path) -> Mapping:
    """A shipped mapping by name (maven-crm) or a mapping file by path (.toml or .json)."""
    path = Path(name_or_path)
    if not path.exists():
        candidates = [SHIPPED_DIR / f"{name_or_path}.toml", SHIPPED_DIR / f"{name_or_path}.json"]
        found = next((c for c in candidates if c.exists()), None)
        if found is None:
            known = ", ".join(shipped_mappings())
            raise MappingError(
                f"no mapping file {name_or_path!r} and no shipped mapping of that name (shipped: {known})"
            )
        path = found
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as error:
        raise MappingError(f"{path}: {error}") from None
    return parse_mapping(raw, origin=str(path))


def parse_mapping(raw: Any, origin: str = "<mapping>") -> Mapping:
    top = _table("mapping", raw)
    _only(
        "mapping",
        top,
        {
            "name",
            "description",
            "external_id_prefix",
            "currency",
            "pipeline",
            "file",
            "columns",
            "options",
            "stages",
            "sources",
            "new_sources",
            "values",
            *REFERENCE_FIELDS,
        },
    )
    name = _string("name", top.get("name"), required=True)
    assert name is not None
    options = _table("options", top.get("options", {}))
    _only(
        "options",
        options,
        {"default_stage", "unknown_source", "ignore_value_in_stages", "tag_separator", "annual_revenue_scale"},
    )
    mapping = Mapping(
        name=name,
        description=_string("description", top.get("description")) or "",
        external_id_prefix=_string("external_id_prefix", top.get("external_id_prefix")) or name,
        currency=_currency(top.get("currency", "USD")),
        pipeline=_string("pipeline", top.get("pipeline")),
        file=_file_format(top.get("file", {})),
        columns=_columns(top.get("columns")),
        stages=ValueMap.parse("stages", top.get("stages", {})),
        default_stage=_string("options.default_stage", options.get("default_stage")),
        sources=ValueMap.parse("sources", top.get("sources", {})),
        new_sources=_new_sources(top.get("new_sources", {})),
        unknown_source=_choice("options.unknown_source", options.get("unknown_source", "error"), {"error", "empty"}),
        values={k: ValueMap.parse(f"values.{k}", v) for k, v in _table("values", top.get("values", {})).items()},
        ignore_value_in_stages=frozenset(
            _strings("options.ignore_value_in_stages", options.get("ignore_value_in_stages"))
        ),
        tag_separator=_string("options.tag_separator", options.get("tag_separator"), strip=False),
        annual_revenue_scale=_scale(options.get("annual_revenue_scale", 1)),
        references={kind: _reference(kind, top[kind]) for kind in REFERENCE_FIELDS if kind in top},
        origin=origin,
    )
    _check_consistency(mapping)
    return mapping


def _check_consistency(mapping: Mapping) -> None:
    columns = mapping.columns
    if columns.stage is None and mapping.default_stage is None:
        raise MappingError("columns.stage is not set: set it, or options.default_stage for files without stages")
    if columns.stage is not None and not mapping.stages.entries:
        raise MappingError("columns.stage is set but [stages] maps no file value to a stage code")
    if columns.product is not None and "products" not in mapping.references:
        raise MappingError("columns.product needs a [products] reference file (it gives each product's list price)")
    if columns.source is None and (mapping.sources.entries or mapping.new_sources):
        raise MappingError("[sources] or [new_sources] given, but columns.source is not set")
    unknown_values = set(mapping.values) - {f.name for f in dataclasses.fields(Columns)} - {"parent_name"}
    if unknown_values:
        raise MappingError(f"[values] names fields that do not exist: {', '.join(sorted(unknown_values))}")


def _columns(raw: Any) -> Columns:
    table = _table("columns", raw)
    allowed = {f.name for f in dataclasses.fields(Columns)}
    _only("columns", table, allowed)
    if "external_id" not in table:
        raise MappingError("columns.external_id is required: re-imports find their leads by it")
    if "title" not in table:
        raise MappingError("columns.title is required: a column name or templates like ['{account} – {product}']")
    kwargs: dict[str, Any] = {}
    for name, value in table.items():
        where = f"columns.{name}"
        if name == "title":
            templates = _strings(where, value)
            kwargs[name] = tuple(t if TEMPLATE_FIELD.search(t) else f"{{{t}}}" for t in templates)
        elif name == "description":
            kwargs[name] = tuple(_strings(where, value))
        else:
            kwargs[name] = _string(where, value, required=True)
    return Columns(**kwargs)


def _file_format(raw: Any) -> FileFormat:
    table = _table("file", raw)
    _only("file", table, {f.name for f in dataclasses.fields(FileFormat)})
    fmt = FileFormat(
        encoding=_encoding("file.encoding", table.get("encoding", "utf-8")),
        delimiter=_delimiter("file.delimiter", table.get("delimiter", ",")),
        quotechar=_string("file.quotechar", table.get("quotechar", '"'), strip=False) or '"',
        decimal_separator=_choice("file.decimal_separator", table.get("decimal_separator", "."), {".", ","}),
        thousands_separator=_choice(
            "file.thousands_separator", table.get("thousands_separator", ""), {"", ",", ".", " ", "'", "\u00a0", "_"}
        ),
        date_format=_date_format(table.get("date_format")),
        timezone=_timezone(table.get("timezone", "UTC")),
        empty_values=frozenset(normalize_key(v) for v in _strings("file.empty_values", table.get("empty_values"))),
    )
    if len(fmt.quotechar) != 1:
        raise MappingError("file.quotechar must be one character")
    if fmt.thousands_separator == fmt.decimal_separator:
        raise MappingError("file.thousands_separator and file.decimal_separator must differ")
    return fmt


def _reference(kind: str, raw: Any) -> ReferenceFile:
    table = _table(kind, raw)
    _only(kind, table, {"file", "key"} | REFERENCE_FIELDS[kind])
    file_name = _string(f"{kind}.file", table.get("file"), required=True)
    key = _string(f"{kind}.key", table.get("key"), required=True)
    assert file_name is not None and key is not None
    columns = {
        name: _string(f"{kind}.{name}", v, required=True) or ""
        for name, v in table.items()
        if name not in ("file", "key")
    }
    return ReferenceFile(kind=kind, file=file_name, key=key, columns=columns)


def _new_sources(raw: Any) -> dict[str, SourceCategory]:
    allowed = {c.value for c in SourceCategory}
    return {
        name.strip(): SourceCategory(_choice(f"new_sources.{name}", category, allowed))
        for name, category in _table("new_sources", raw).items()
    }


# --- small validators ------------------------------------------------------------------------------------------


def _table(where: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, MappingABC):
        raise MappingError(f"{where}: expected a table of keys and values, got {type(raw).__name__}")
    return dict(raw)


def _only(where: str, table: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(table) - allowed
    if unknown:
        raise MappingError(
            f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})"
        )


def _string(where: str, raw: Any, *, required: bool = False, strip: bool = True) -> str | None:
    if raw is None:
        if required:
            raise MappingError(f"{where} is required")
        return None
    if not isinstance(raw, str) or (required and not raw.strip()):
        raise MappingError(f"{where}: expected a non-empty string, got {raw!r}")
    return raw.strip() if strip else raw


def _strings(where: str, raw: Any) -> list[str]:
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise MappingError(f"{where}: expected a string or a list of non-empty strings, got {raw!r}")
    return [i.strip() for i in items]


def _choice(where: str, raw: Any, allowed: set[str]) -> str:
    if raw not in allowed:
        shown = ", ".join(repr(a) for a in sorted(allowed))
        raise MappingError(f"{where}: {raw!r} is not one of {shown}")
    return str(raw)


def _delimiter(where: str, raw: Any) -> str:
    if not isinstance(raw, str) or raw not in DELIMITERS:
        raise MappingError(f"{where}: {raw!r} is not a supported delimiter (',', ';', '\\t' or 'tab', '|')")
    return DELIMITERS[raw]


def _encoding(where: str, raw: Any) -> str:
    if not isinstance(raw, str):
        raise MappingError(f"{where}: expected an encoding name such as utf-8 or cp1252")
    try:
        name = codecs.lookup(raw).name
    except LookupError:
        raise MappingError(f"{where}: unknown encoding {raw!r}") from None
    # Lines are split on the byte \n before decoding: only ASCII-compatible encodings keep that byte intact.
    if "\n,;\t\"'a".encode(name, errors="replace") != b"\n,;\t\"'a" or name.startswith(("utf-16", "utf-32")):
        raise MappingError(f"{where}: {raw!r} is not ASCII-compatible; save the export as UTF-8")
    return "utf-8" if name in ("utf-8", "utf-8-sig") else name


def _date_format(raw: Any) -> str | None:
    fmt = _string("file.date_format", raw)
    if fmt is not None and "%" not in fmt:
        raise MappingError(f"file.date_format: {fmt!r} has no strftime directive (e.g. %d/%m/%Y)")
    return fmt


def _timezone(raw: Any) -> str:
    name = _string("file.timezone", raw, required=True) or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"file.timezone: unknown time zone {name!r} (use IANA names like Europe/Berlin)") from None
    return name


def _currency(raw: Any) -> str:
    if not isinstance(raw, str) or not re.fullmatch(r"[A-Z]{3}", raw):
        raise MappingError(f"currency: {raw!r} is not a three-letter ISO 4217 code such as USD")
    return raw


def _scale(raw: Any) -> Decimal:
    try:
        scale = Decimal(str(raw))
    except InvalidOperation:
        raise MappingError(f"options.annual_revenue_scale: {raw!r} is not a number") from None
    if not scale.is_finite() or scale <= 0:
        raise MappingError("options.annual_revenue_scale must be a positive number")
    return scale


def has_time(date_format: str | None) -> bool:
    return date_format is not None and TIME_DIRECTIVES.search(date_format) is not None

"""Reference files: the accounts, products and sales teams an export ships next to its main file.

They are small (one row per account, product or sales person), so they are read whole before the main file
and joined in memory. An invalid reference row is reported with its file and line; the leads that name it
become invalid too, rather than silently losing their organization or product.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from backend.contacts.service import normalize_email
from backend.errors import Problems
from backend.imports.cells import Cells, FileReader, Notes
from backend.imports.mapping import Mapping, ReferenceFile, normalize_key
from backend.imports.problems import ImportFailure, RowProblem
from backend.imports.records import OrganizationRecord, ProductRecord, UserRecord
from backend.imports.source import CsvFile

R = TypeVar("R")


@dataclass
class References:
    organizations: dict[str, OrganizationRecord] = field(default_factory=dict)
    products: dict[str, ProductRecord] = field(default_factory=dict)
    sales_persons: dict[str, UserRecord] = field(default_factory=dict)
    # kind -> normalized key -> where the invalid row is, for the leads that name it
    invalid: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[RowProblem] = field(default_factory=list)
    unused_columns: dict[str, list[str]] = field(default_factory=dict)  # file -> columns no field reads
    rows_read: int = 0


def sku_for(name: str) -> str:
    """A stable SKU for a catalogue that has none: "GTX Plus Pro" -> "GTX-PLUS-PRO"."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").upper()[:80] or "PRODUCT"


def load_references(mapping: Mapping, directory: Path, notes: Notes) -> References:
    loader = _Loader(References(), mapping, directory, notes)
    specs = mapping.references
    if spec := specs.get("organizations"):
        loader.load(spec, loader.refs.organizations, _organization)
    if spec := specs.get("products"):
        loader.load(spec, loader.refs.products, _product)
    if spec := specs.get("sales_persons"):
        loader.load(spec, loader.refs.sales_persons, _sales_person)
    return loader.refs


@dataclass
class _Loader:
    refs: References
    mapping: Mapping
    directory: Path
    notes: Notes

    def load(
        self, spec: ReferenceFile, target: dict[str, R], build: Callable[[Cells, ReferenceFile, Mapping], R | None]
    ) -> None:
        path = self.directory / spec.file
        if not path.is_file():
            raise ImportFailure(f"the reference file {spec.file} ([{spec.kind}].file) is not in {self.directory}")
        with CsvFile(path, self.mapping.file) as csv_file:
            reader = FileReader(csv_file, self.mapping, self.notes, reference=True)
            used = [(f"{spec.kind}.key", spec.key), *((f"{spec.kind}.{k}", c) for k, c in spec.columns.items())]
            reader.require(used)
            self.refs.unused_columns[path.name] = reader.unused({c for _, c in used})
            self.notes.messages.extend(csv_file.notes)
            invalid = self.refs.invalid.setdefault(spec.kind, {})
            first_line: dict[str, int] = {}
            for record in csv_file.records():
                self.refs.rows_read += 1
                cells = reader.cells(record)
                raw_key = cells.raw(spec.key)
                key = normalize_key(raw_key) if raw_key is not None else None
                built = build(cells, spec, self.mapping) if key is not None else None
                if key is None:
                    cells.problem(spec.key, f"is empty; every row of {path.name} needs a {spec.key}")
                elif key in first_line:
                    cells.problem(spec.key, f"{raw_key!r} is listed twice (first on line {first_line[key]})")
                if cells.problems or built is None or key is None:
                    self.refs.problems.extend(cells.problems)
                    if key is not None:
                        invalid.setdefault(key, f"{path.name}, line {record.line}")
                    continue
                first_line[key] = record.line
                target[key] = built


def _organization(cells: Cells, spec: ReferenceFile, mapping: Mapping) -> OrganizationRecord | None:
    name = cells.text(spec.column("name") or spec.key, 200, "organization")
    if name is None:
        return None
    return OrganizationRecord(
        external_id=mapping.prefixed("org", name),
        name=name,
        industry=cells.text(spec.column("industry"), 120, "industry"),
        employee_count=cells.integer(spec.column("employee_count")),
        annual_revenue=cells.money(spec.column("annual_revenue"), mapping.annual_revenue_scale),
        country=cells.text(spec.column("country"), 120, "country"),
        region=cells.text(spec.column("region"), 120, "region"),
        city=cells.text(spec.column("city"), 120, "city"),
        website=cells.text(spec.column("website"), 500),
        parent_name=cells.text(spec.column("parent_name"), 200, "parent_name"),
    )


def _product(cells: Cells, spec: ReferenceFile, mapping: Mapping) -> ProductRecord | None:
    name = cells.text(spec.column("name") or spec.key, 200)
    price_column = spec.column("list_price")
    price = cells.money(price_column)
    if price is None and cells.ok:
        cells.problem(price_column, "is empty; a product needs a list price")
    sku = cells.text(spec.column("sku"), 80) if spec.column("sku") else (sku_for(name) if name else None)
    if name is None or price is None or sku is None:
        return None
    return ProductRecord(
        sku=sku,
        name=name,
        list_price=price,
        currency=mapping.currency,
        category=cells.text(spec.column("category"), 120),
        description=cells.text(spec.column("description"), 20_000),
    )


def _sales_person(cells: Cells, spec: ReferenceFile, mapping: Mapping) -> UserRecord | None:
    name = cells.text(spec.column("name") or spec.key, 200, "sales_person")
    email = email_of(cells, spec.column("email"))
    if name is None:
        return None
    return UserRecord(external_id=mapping.prefixed("user", name), name=name, email=email)


def email_of(cells: Cells, column: str | None) -> str | None:
    raw = cells.text(column, 320)
    if raw is None:
        return None
    problems = Problems()
    email = normalize_email(problems, "email", raw)
    for error in problems.errors:
        cells.problem(column, error.message)
    return email

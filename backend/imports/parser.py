"""Turning one main-file record into a LeadRecord, or into the list of its problems. Pure: no database.

The dry run, the strict validation pass and the write pass all use this one parser, so what a dry run reports
is what the import does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from backend.contacts.service import normalize_phone
from backend.errors import Problems
from backend.imports.cells import Cells, FileReader, Notes
from backend.imports.mapping import TEMPLATE_FIELD, Mapping, normalize_key
from backend.imports.problems import RowProblem
from backend.imports.records import LeadRecord, OrganizationRecord, PersonRecord, ProductRecord, UserRecord
from backend.imports.references import References, email_of
from backend.imports.source import CsvFile, CsvRecord
from backend.leads.service import line_amount

MAX_TITLE = 300
MAX_DESCRIPTION = 20_000
MAX_TAG = 80


@dataclass(frozen=True)
class Catalog:
    """What the parser needs to know about the database: the source names it may use (casefolded -> name)."""

    sources: dict[str, str]


class LeadParser:
    def __init__(self, csv_file: CsvFile, mapping: Mapping, refs: References, catalog: Catalog, notes: Notes) -> None:
        self.mapping = mapping
        self.refs = refs
        self.catalog = catalog
        self.notes = notes
        self.reader = FileReader(csv_file, mapping, notes)
        self.reader.require(mapping.columns.used())
        # A title shows what the lead holds: "GTX Pro", not the file's "GTXPro".
        self._title_fields = {col: f for f, col in mapping.columns.used() if f != "title" and f in mapping.values}
        self._templates = [_format_of(t) for t in mapping.columns.title]
        c = mapping.columns
        self._row_org_columns = any(
            col is not None
            for col in (c.industry, c.employee_count, c.annual_revenue, c.country, c.region, c.city, c.website)
        )
        # Resolved reference values by file value: exports repeat a few hundred names thousands of times.
        self._memo: dict[str, dict[str, object | None]] = {"sales_persons": {}, "organizations": {}, "products": {}}

    def unused_columns(self) -> list[str]:
        return self.reader.unused({column for _, column in self.mapping.columns.used()})

    def parse(self, record: CsvRecord) -> LeadRecord | list[RowProblem]:
        cells = self.reader.cells(record)
        if not cells.ok:
            return cells.problems
        lead = self._lead(cells)
        if lead is None or cells.problems:
            return cells.problems or [RowProblem(record.line, None, "is not a lead")]
        return lead

    def _lead(self, cells: Cells) -> LeadRecord | None:
        columns, mapping = self.mapping.columns, self.mapping
        external_id = self._external_id(cells)
        title = self._title(cells)
        stage = self._stage(cells)
        organization = self._organization(cells)
        product = self._product(cells)
        value = cells.money(columns.value)
        if stage is not None and stage in mapping.ignore_value_in_stages:
            value = None
        unit_price = None
        if product is not None:
            unit_price = value if value is not None else product.list_price
            value = line_amount(Decimal(1), unit_price, None, None)
        created = cells.when(columns.created_at)
        closed = cells.when(columns.close_date)
        if external_id is None or title is None or stage is None:
            return None
        return LeadRecord(
            line=cells.line,
            external_id=external_id,
            title=title,
            stage_code=stage,
            currency=mapping.currency,
            description=self._description(cells),
            value=value,
            lost_reason=cells.text(columns.lost_reason, 500, "lost_reason"),
            sales_person=self._sales_person(cells),
            person=self._person(cells, organization),
            organization=organization,
            product=product,
            unit_price=unit_price,
            source=self._source(cells),
            tags=self._tags(cells),
            created_at=created.instant if created else None,
            closed_at=closed.instant if closed else None,
            expected_close_date=closed.day if closed else None,
        )

    def _external_id(self, cells: Cells) -> str | None:
        column = self.mapping.columns.external_id
        raw = cells.raw(column)
        if raw is None:
            cells.problem(column, "is empty; every row needs an id, so that importing again updates it")
            return None
        external_id = self.mapping.prefixed("lead", raw)
        if len(external_id) > 200:
            cells.problem(column, f"is too long for an external id ({len(raw)} characters)")
            return None
        return external_id

    def _title(self, cells: Cells) -> str | None:
        for fmt, columns in self._templates:
            parts = [self._title_part(cells, column) for column in columns]
            if all(parts):
                title = fmt.format(*parts).strip()
                if len(title) > MAX_TITLE:
                    cells.problem(columns[0], f"makes a title of {len(title)} characters; at most 300 fit")
                    return None
                return title
        shown = ", ".join(repr(c) for t in self.mapping.columns.title for c in TEMPLATE_FIELD.findall(t))
        cells.problem(None, f"has no title: the columns it is made of are empty ({shown})")
        return None

    def _title_part(self, cells: Cells, column: str) -> str | None:
        raw = cells.raw(column)
        field = self._title_fields.get(column)
        return self.mapping.translate(field, raw) if raw is not None and field is not None else raw

    def _stage(self, cells: Cells) -> str | None:
        column = self.mapping.columns.stage
        raw = cells.raw(column)
        if raw is None:
            if self.mapping.default_stage is None:
                cells.problem(column, "is empty; a lead needs a stage (or set options.default_stage)")
            return self.mapping.default_stage
        code = self.mapping.stages.lookup(raw)
        if code is None:
            known = ", ".join(repr(k) for k in sorted(self.mapping.stages.entries))
            cells.problem(column, f"unknown stage {raw!r}: the mapping's [stages] knows {known}")
        return code

    def _description(self, cells: Cells) -> str | None:
        lines = [f"{column}: {value}" for column in self.mapping.columns.description if (value := cells.raw(column))]
        text = "\n".join(lines)
        if len(text) > MAX_DESCRIPTION:
            cells.problem(None, f"makes a description of {len(text)} characters; at most {MAX_DESCRIPTION} fit")
            return None
        return text or None

    def _sales_person(self, cells: Cells) -> UserRecord | None:
        column = self.mapping.columns.sales_person
        name = cells.text(column, 200, "sales_person")
        if name is None:
            return None
        if "sales_persons" not in self.mapping.references:
            return UserRecord(external_id=self.mapping.prefixed("user", name), name=name)
        found = self._reference(cells, "sales_persons", column, name)
        if found is None and cells.ok:
            self.notes.made_from_name(f"sales persons not in {self._ref_file('sales_persons')}, created by name", name)
            return UserRecord(external_id=self.mapping.prefixed("user", name), name=name)
        return found if isinstance(found, UserRecord) else None

    def _organization(self, cells: Cells) -> OrganizationRecord | None:
        columns = self.mapping.columns
        name = cells.text(columns.organization, 200, "organization")
        if name is None:
            return None
        base = self._reference(cells, "organizations", columns.organization, name)
        if not isinstance(base, OrganizationRecord):
            if "organizations" in self.mapping.references and cells.ok:
                where = self._ref_file("organizations")
                self.notes.made_from_name(f"organizations not in {where}, created by name", name)
            base = OrganizationRecord(external_id=self.mapping.prefixed("org", name), name=name)
        return self._with_row_attributes(cells, base)

    def _with_row_attributes(self, cells: Cells, base: OrganizationRecord) -> OrganizationRecord:
        """Organization columns of the main file (industry, size, country...) override the reference file."""
        if not self._row_org_columns:
            return base
        c = self.mapping.columns
        row = {
            "industry": cells.text(c.industry, 120, "industry"),
            "employee_count": cells.integer(c.employee_count),
            "annual_revenue": cells.money(c.annual_revenue, self.mapping.annual_revenue_scale),
            "country": cells.text(c.country, 120, "country"),
            "region": cells.text(c.region, 120, "region"),
            "city": cells.text(c.city, 120, "city"),
            "website": cells.text(c.website, 500),
        }
        given = {k: v for k, v in row.items() if v is not None}
        if not given:
            return base
        fields = {**base.columns(), **given}
        return OrganizationRecord(**fields)

    def _person(self, cells: Cells, organization: OrganizationRecord | None) -> PersonRecord | None:
        c = self.mapping.columns
        if c.contact_person is None:
            return None
        name = cells.text(c.contact_person, 200)
        email = email_of(cells, c.contact_email)
        phone = self._phone(cells, c.contact_phone)
        if name is None:
            return None
        # Without an id column a person is who they are at their organization: the same name elsewhere is another.
        key = email or f"{organization.name if organization else ''}/{name}"
        return PersonRecord(
            external_id=self.mapping.prefixed("person", key),
            name=name,
            email=email,
            phone=phone,
            job_title=cells.text(c.contact_job_title, 200),
            organization=organization,
        )

    def _phone(self, cells: Cells, column: str | None) -> str | None:
        raw = cells.text(column, 60)
        if raw is None:
            return None
        problems = Problems()
        phone = normalize_phone(problems, "phone", raw)
        for error in problems.errors:
            cells.problem(column, error.message)
        return phone

    def _product(self, cells: Cells) -> ProductRecord | None:
        column = self.mapping.columns.product
        name = cells.text(column, 200, "product")
        if name is None:
            return None
        found = self._reference(cells, "products", column, name)
        if found is None and cells.ok:
            where = self._ref_file("products")
            cells.problem(column, f"unknown product {name!r}: not in {where}; map it under [values.product]")
        return found if isinstance(found, ProductRecord) else None

    def _reference(self, cells: Cells, kind: str, column: str | None, name: str) -> object | None:
        memo = self._memo[kind]
        if name in memo:
            return memo[name]
        found = self._lookup(cells, kind, column, name)
        if cells.ok and len(memo) < 100_000:  # only clean results: a problem must be reported on every row
            memo[name] = found
        return found

    def _lookup(self, cells: Cells, kind: str, column: str | None, name: str) -> object | None:
        key = normalize_key(name)
        invalid = self.refs.invalid.get(kind, {}).get(key)
        if invalid is not None:
            cells.problem(column, f"{name!r} is invalid in its reference file ({invalid})")
            return None
        table: dict[str, object] = getattr(self.refs, kind)
        return table.get(key)

    def _ref_file(self, kind: str) -> str:
        return self.mapping.references[kind].file

    def _source(self, cells: Cells) -> str | None:
        column = self.mapping.columns.source
        raw = cells.raw(column)
        if raw is None:
            return None
        target = self.mapping.sources.lookup(raw)
        if target == "":  # the mapping says this value means "no source" (a test row, say)
            self.notes.translated(self.reader.name, "source", raw, "")
            return None
        # The canonical spelling: the database's or the declared new source's, whatever case the file uses.
        name = self.catalog.sources.get(normalize_key(target if target is not None else raw))
        if name is not None:
            if name != raw:
                self.notes.translated(self.reader.name, "source", raw, name)
            return name
        if self.mapping.unknown_source == "error":
            cells.problem(column, f"unknown source {raw!r}: map it under [sources] (or set options.unknown_source)")
        else:
            self.notes.made_from_name("source values the mapping does not know, imported without a source", raw)
        return None

    def _tags(self, cells: Cells) -> tuple[str, ...]:
        column = self.mapping.columns.tags
        raw = cells.raw(column)
        if raw is None:
            return ()
        separator = self.mapping.tag_separator
        parts = raw.split(separator) if separator else [raw]
        tags: set[str] = set()
        for part in parts:
            tag = cells.translate("tags", part.strip()) if part.strip() else ""
            if len(tag) > MAX_TAG:
                cells.problem(column, f"tag {tag[:40]!r}... is {len(tag)} characters long; at most {MAX_TAG} fit")
            elif tag:
                tags.add(tag)
        return tuple(sorted(tags))


def _format_of(template: str) -> tuple[str, list[str]]:
    """A title template as a str.format string and its columns: "{account} – {product}" becomes "{0} – {1}",
    filled in one call per row (a regex substitution per row cost more than the rest of the title)."""
    pieces = TEMPLATE_FIELD.split(template)  # literal, column, literal, column, ..., literal
    literals, columns = pieces[0::2], pieces[1::2]
    fields = [f"{{{i}}}" for i in range(len(columns))] + [""]
    fmt = "".join(
        text.replace("{", "{{").replace("}", "}}") + field for text, field in zip(literals, fields, strict=True)
    )
    return fmt, columns

"""Reference files (accounts, products, sales teams): joined, translated, and their bad rows reported, not dropped."""

from __future__ import annotations

from pathlib import Path

from backend.imports.mapping import Mapping, parse_mapping
from tests.imports.conftest import Importer, query, snapshot


def write(path: Path, text: str) -> Path:
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def export(folder: Path, *, employees: str = "120") -> Path:
    write(folder / "accounts.csv", f"account,sector,employees\nAcme,technolgy,{employees}\nBeta,retail,8\n")
    write(folder / "products.csv", "product,series,price\nWidget Pro,W,250\nGadget,G,40\n")
    write(folder / "teams.csv", "agent,manager\nAnn,Zoe\nBo,Zoe\nCy,Zoe\n")
    return write(
        folder / "deals.csv",
        """
id,agent,product,account,stage,value
d1,Ann,WidgetPro,Acme,Won,230
d2,Bo,Gadget,,Open,
d3,Ann,Gadget,Beta,Lost,0
d4,Dee,Widget Pro,Gamma,Open,
""",
    )


def mapping() -> Mapping:
    return parse_mapping(
        {
            "name": "refs",
            "columns": {
                "external_id": "id",
                "title": ["{account} – {product}", "{product}"],
                "value": "value",
                "stage": "stage",
                "sales_person": "agent",
                "organization": "account",
                "product": "product",
            },
            "stages": {"Open": "new", "Won": "won", "Lost": "lost"},
            "options": {"ignore_value_in_stages": ["lost"]},
            "values": {"product": {"WidgetPro": "Widget Pro"}, "industry": {"technolgy": "technology"}},
            "organizations": {
                "file": "accounts.csv",
                "key": "account",
                "industry": "sector",
                "employee_count": "employees",
            },
            "products": {"file": "products.csv", "key": "product", "category": "series", "list_price": "price"},
            "sales_persons": {"file": "teams.csv", "key": "agent"},
        }
    )


async def test_joined_with_reference_files(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    report = await do_import(export(tmp_path), mapping())
    assert (report.created, report.skipped) == (4, 0), report.problems
    leads = query(
        database_url,
        "SELECT l.title, l.value, p.name, lp.unit_price, u.name FROM leads l JOIN lead_products lp ON lp.lead_id = l.id"
        " JOIN products p ON p.id = lp.product_id LEFT JOIN users u ON u.id = l.sales_person_id ORDER BY l.external_id",
    )
    assert leads == [
        ("Acme – Widget Pro", 23000, "Widget Pro", 23000, "Ann"),  # the won value, on the aliased product
        ("Gadget", 4000, "Gadget", 4000, "Bo"),  # open, no value yet: the list price
        ("Beta – Gadget", 4000, "Gadget", 4000, "Ann"),  # lost with close value 0: the list price, not 0
        ("Gamma – Widget Pro", 25000, "Widget Pro", 25000, "Dee"),
    ]
    assert query(database_url, "SELECT name, industry, employee_count FROM organizations ORDER BY 1") == [
        ("Acme", "technology", 120),
        ("Beta", "retail", 8),
        ("Gamma", None, None),
    ]
    assert query(database_url, "SELECT sku FROM products ORDER BY 1") == [("GADGET",), ("WIDGET-PRO",)]
    assert query(database_url, "SELECT count(*) FROM users") == [(4,)]  # Cy has no deals but is on a team
    notes = "\n".join(report.notes)
    assert "'WidgetPro' as 'Widget Pro' (1)" in notes and "'technolgy' as 'technology' (1)" in notes
    assert "organizations not in accounts.csv, created by name (1): 'Gamma'" in notes
    assert "sales persons not in teams.csv, created by name (1): 'Dee'" in notes
    assert report.columns_not_imported["teams.csv"] == ["manager"]


async def test_bad_reference_row(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = export(tmp_path, employees="many")
    before = snapshot(database_url)
    strict = await do_import(path, mapping())
    assert strict.refused and snapshot(database_url) == before
    assert [str(p) for p in strict.problems][:2] == [
        "accounts.csv, line 2, column 'employees': 'many' is not a number in this file's format (decimal mark '.')",
        "line 2, column 'account': 'Acme' is invalid in its reference file (accounts.csv, line 2)",
    ]
    lenient = await do_import(path, mapping(), skip_invalid=True)
    assert (lenient.created, lenient.skipped) == (3, 1)
    assert query(database_url, "SELECT external_id FROM leads WHERE organization_id IS NULL") == [("refs:d2",)]


async def test_unknown_product(tmp_path: Path, database_url: str, do_import: Importer) -> None:
    path = export(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "d5,Ann,Doohickey,Acme,Open,\n", encoding="utf-8")
    report = await do_import(path, mapping())
    assert report.refused
    assert str(report.problems[0]) == (
        "line 6, column 'product': unknown product 'Doohickey': not in products.csv; map it under [values.product]"
    )

import { useState } from "react";
import { useClient, useQuery } from "urql";
import { AddLeadProductMutation, ProductSearchQuery, RemoveLeadProductMutation, UpdateLeadProductMutation } from "../documents";
import { formatMoney, formatScaled, normalizeMoneyInput, sum } from "../lib/money";
import { useToast } from "../components/Toasts";
import { useDebounced } from "../components/ui";
import type { LeadDetail } from "./LeadDetailPage";

type Line = LeadDetail["products"][number];
const UNIT: Record<string, string> = { LICENSE: "licence", SEAT: "seat", HOUR: "hour", UNIT: "unit", USAGE: "usage" };
const TERM: Record<string, string> = { ONE_TIME: "one-time", MONTHLY: "monthly", ANNUAL: "annual", MULTI_YEAR: "multi-year" };

export function ProductsPanel({ lead }: { lead: LeadDetail }) {
  const client = useClient();
  const toast = useToast();
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [addError, setAddError] = useState<string | null>(null);
  const search = useDebounced(text.trim(), 200);
  const [{ data, fetching }] = useQuery({ query: ProductSearchQuery, variables: { search: search || null }, pause: !open });
  const hits = (data?.products.edges.map((e) => e.node) ?? []).filter((p) => p.isActive);

  const add = async (productId: string) => {
    const res = await client.mutation(AddLeadProductMutation, { input: { leadId: lead.id, productId, quantity: "1" } }).toPromise();
    const err = res.error?.message ?? res.data?.addLeadProduct.errors.map((e) => e.message).join(" ");
    if (err) {
      setAddError(err);
      return;
    }
    setAddError(null);
    setText("");
    setOpen(false);
    toast("Product added; the lead value now follows the products.", "success");
  };

  return (
    <section className="panel" aria-labelledby="products-h" data-testid="products-panel">
      <div className="panel-head">
        <h3 id="products-h">Products</h3>
        <span className="muted small">{lead.products.length} line{lead.products.length === 1 ? "" : "s"}</span>
      </div>
      <div className="panel-body">
        <div className="combo product-search">
          <input
            className="input"
            role="combobox"
            aria-expanded={open && hits.length > 0}
            aria-controls="product-hits"
            aria-autocomplete="list"
            aria-label="Add a product"
            placeholder="Add a product — search by name, SKU or category"
            value={text}
            onFocus={() => setOpen(true)}
            onBlur={() => window.setTimeout(() => setOpen(false), 150)}
            onChange={(e) => {
              setText(e.target.value);
              setOpen(true);
              setActive(-1);
            }}
            onKeyDown={(e) => {
              if (e.key === "ArrowDown") {
                e.preventDefault();
                setActive((a) => Math.min(a + 1, hits.length - 1));
              } else if (e.key === "ArrowUp") {
                e.preventDefault();
                setActive((a) => Math.max(a - 1, 0));
              } else if (e.key === "Enter" && hits.length) {
                e.preventDefault();
                void add(hits[Math.max(active, 0)].id);
              } else if (e.key === "Escape") setOpen(false);
            }}
          />
          {open && (hits.length > 0 || (search && !fetching)) && (
            <ul className="combo-list" id="product-hits" role="listbox">
              {hits.map((p, i) => (
                <li
                  key={p.id}
                  role="option"
                  aria-selected={i === active}
                  className={i === active ? "active" : ""}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    void add(p.id);
                  }}
                >
                  <span className="hit-row">
                    <strong>{p.name}</strong>
                    <span className="num">{formatMoney(p.listPrice, p.currency)}</span>
                  </span>
                  <span className="muted small">
                    {p.sku}
                    {p.category ? ` · ${p.category}` : ""} · per {UNIT[p.unit] ?? p.unit}, {TERM[p.billingTerm] ?? p.billingTerm}
                  </span>
                </li>
              ))}
              {!hits.length && <li className="muted">No product matches “{search}”</li>}
            </ul>
          )}
          {addError && <p className="field-error" role="alert">{addError}</p>}
        </div>
        {lead.products.length > 0 ? (
          <div className="table-wrap">
            <table className="lines">
              <thead>
                <tr>
                  <th>Product</th>
                  <th className="num">Qty</th>
                  <th className="num">Unit price</th>
                  <th className="num">Discount %</th>
                  <th className="num">Amount</th>
                  <th><span className="sr-only">Remove</span></th>
                </tr>
              </thead>
              <tbody>
                {lead.products.map((line) => (
                  <LineRow key={line.id} line={line} currency={lead.currency} />
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <td colSpan={4}>Total (the lead value)</td>
                  <td className="num" data-testid="products-total">
                    {formatScaled(sum(lead.products.map((l) => l.amount)))}
                  </td>
                  <td />
                </tr>
              </tfoot>
            </table>
          </div>
        ) : (
          <p className="muted small">No products yet. Add one and the lead value becomes the sum of its lines.</p>
        )}
      </div>
    </section>
  );
}

function LineRow({ line, currency }: { line: Line; currency: string }) {
  const client = useClient();
  const [error, setError] = useState<string | null>(null);
  const update = async (input: { quantity?: string; unitPrice?: string | null; discountPercent?: string | null }) => {
    const res = await client.mutation(UpdateLeadProductMutation, { input: { id: line.id, ...input } }).toPromise();
    const err = res.error?.message ?? res.data?.updateLeadProduct.errors.map((e) => e.message).join(" ");
    setError(err || null);
    return !err;
  };
  const remove = async () => {
    const res = await client.mutation(RemoveLeadProductMutation, { input: { id: line.id } }).toPromise();
    const err = res.error?.message ?? res.data?.removeLeadProduct.errors.map((e) => e.message).join(" ");
    setError(err || null);
  };
  return (
    <>
      <tr data-testid="product-line">
        <td>
          <div className="line-name">{line.product.name}</div>
          <div className="muted small">
            {line.product.sku} · list {formatMoney(line.product.listPrice, currency)}
          </div>
        </td>
        <td className="num">
          <NumberCell label={`Quantity of ${line.product.name}`} value={trimZeros(line.quantity)} onCommit={(v) => update({ quantity: v })} />
        </td>
        <td className="num">
          <NumberCell
            label={`Unit price of ${line.product.name}`}
            value={line.unitPrice}
            money
            onCommit={(v) => update({ unitPrice: v === "" ? null : v })}
          />
        </td>
        <td className="num">
          <NumberCell
            label={`Discount percent of ${line.product.name}`}
            value={line.discountPercent ? trimZeros(line.discountPercent) : ""}
            onCommit={(v) => update({ discountPercent: v === "" ? null : v })}
          />
        </td>
        <td className="num amount" data-testid="line-amount">{formatScaled(sum([line.amount]))}</td>
        <td>
          <button type="button" className="icon-btn" aria-label={`Remove ${line.product.name}`} onClick={() => void remove()}>
            ×
          </button>
        </td>
      </tr>
      {error && (
        <tr className="line-error">
          <td colSpan={6}>
            <p className="field-error" role="alert">{error}</p>
          </td>
        </tr>
      )}
    </>
  );
}

function trimZeros(v: string): string {
  return v.includes(".") ? v.replace(/\.?0+$/, "") : v;
}

function NumberCell({ label, value, onCommit, money }: { label: string; value: string; onCommit: (v: string) => Promise<boolean>; money?: boolean }) {
  const [draft, setDraft] = useState<string | null>(null);
  const shown = draft ?? value;
  const commit = async () => {
    if (draft === null || draft.trim() === value) {
      setDraft(null);
      return;
    }
    let v = draft.trim();
    if (money && v !== "") v = normalizeMoneyInput(v) ?? v;
    v = v.replace(/,/g, "");
    if (await onCommit(v)) setDraft(null);
  };
  return (
    <input
      className="input cell-input"
      inputMode="decimal"
      aria-label={label}
      value={shown}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => void commit()}
      onKeyDown={(e) => {
        if (e.key === "Enter") void commit();
        if (e.key === "Escape") setDraft(null);
      }}
    />
  );
}

import type { Client } from "urql";
import { LeadListQuery } from "../documents";
import type { LeadFilter, LeadListQuery as LeadListResult, LeadOrder, LeadRowFieldsFragment } from "../gql/graphql";
import type { OperationResult } from "urql";
import { toCsv } from "../lib/csv";
import { todayIso } from "../lib/dates";

export const CSV_HEADER = [
  "Title", "Value", "Currency", "Status", "Stage", "Pipeline", "Sales person", "Contact person", "Organization",
  "Source", "Type", "Tags", "Expected close date", "Created at",
];

export function csvRow(l: LeadRowFieldsFragment): unknown[] {
  return [
    l.title, l.value ?? "", l.currency, l.status, l.stage.name, l.pipeline.name, l.salesPerson?.name ?? "",
    l.contactPerson?.name ?? "", l.organization?.name ?? "", l.source?.name ?? "", l.leadType?.name ?? "",
    l.tags.map((t) => t.name).join(", "), l.expectedCloseDate ?? "", l.createdAt,
  ];
}

/** Every lead of the filter, page by page (100 at a time, the API's cap), as CSV text. */
export async function exportCsv(
  client: Client,
  filter: LeadFilter | null,
  orderBy: LeadOrder[],
  onProgress?: (done: number, total: number) => void,
): Promise<{ csv: string; count: number }> {
  const rows: unknown[][] = [];
  let after: string | null = null;
  for (;;) {
    const res: OperationResult<LeadListResult> = await client.query(LeadListQuery, { filter, orderBy, first: 100, after }, { requestPolicy: "network-only" }).toPromise();
    if (res.error || !res.data) throw new Error(res.error?.message ?? "export failed");
    const page: LeadListResult["leads"] = res.data.leads;
    for (const e of page.edges) rows.push(csvRow(e.node));
    onProgress?.(rows.length, page.totalCount);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return { csv: toCsv(CSV_HEADER, rows), count: rows.length };
}

export function download(csv: string, name = `leads-${todayIso()}.csv`): void {
  // BOM so that spreadsheets read the file as UTF-8
  const blob = new Blob(["\ufeff", csv], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

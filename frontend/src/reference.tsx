// Reference data every screen needs (users, sources, types, tags, pipelines), loaded once.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { useQuery } from "urql";
import { ReferenceDataQuery } from "./documents";
import type { ReferenceDataQuery as RefData } from "./gql/graphql";

type Nodes<T extends { edges: { node: unknown }[] }> = T["edges"][number]["node"];
export type UserRef = Nodes<RefData["users"]>;
export type SourceRef = Nodes<RefData["sources"]>;
export type LeadTypeRef = Nodes<RefData["leadTypes"]>;
export type TagRef = Nodes<RefData["tags"]>;
export type PipelineRef = Nodes<RefData["pipelines"]>;
export type StageRef = PipelineRef["stages"][number];

export type Viewer = RefData["me"];

export interface Reference {
  /** Who is signed in, with their role's permission keys (null until loaded). */
  me: Viewer | null;
  /** Whether the signed-in role has a permission key such as "leads.export" (false until loaded). */
  can: (permission: string) => boolean;
  users: UserRef[];
  sources: SourceRef[];
  leadTypes: LeadTypeRef[];
  tags: TagRef[];
  pipelines: PipelineRef[];
  loaded: boolean;
  error?: string;
  refresh: () => void;
}

const Ctx = createContext<Reference | null>(null);

export function ReferenceProvider({ children }: { children: ReactNode }) {
  const [{ data, error }, reexecute] = useQuery({ query: ReferenceDataQuery });
  const value = useMemo<Reference>(
    () => ({
      me: data?.me ?? null,
      can: (permission: string) => !!data?.me.permissions.includes(permission),
      users: data?.users.edges.map((e) => e.node) ?? [],
      sources: data?.sources.edges.map((e) => e.node) ?? [],
      leadTypes: data?.leadTypes.edges.map((e) => e.node) ?? [],
      tags: data?.tags.edges.map((e) => e.node) ?? [],
      pipelines: data?.pipelines.edges.map((e) => e.node) ?? [],
      loaded: !!data,
      error: error?.message,
      refresh: () => reexecute({ requestPolicy: "network-only" }),
    }),
    [data, error, reexecute],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useReference(): Reference {
  const v = useContext(Ctx);
  if (!v) throw new Error("useReference outside ReferenceProvider");
  return v;
}

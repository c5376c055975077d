// GraphiQL for analysts, at /graphiql: a separate entry of the build (its own HTML page and chunks), so the
// editor (Monaco) never weighs on the reps' app, and everything it needs comes from this origin: no CDN, so it
// works offline and under a strict Content-Security-Policy. Requests carry the session cookie of the app.
import { StrictMode, useEffect, useState, type ComponentProps } from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { useGraphiQL, useGraphiQLActions, type GraphiQLPlugin } from "@graphiql/react";
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "./graphiql.css";
import { EXAMPLES, type Example } from "./examples";

type Fetcher = ComponentProps<typeof GraphiQL>["fetcher"];

const fetcher: Fetcher = async (params, opts) => {
  const res = await fetch("/graphql", {
    method: "POST",
    credentials: "same-origin",
    headers: { accept: "application/json", "content-type": "application/json", ...(opts?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  if (res.status === 401) {
    return { errors: [{ message: "Your session has ended: sign in again at / (then reload this page)." }] };
  }
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return { errors: [{ message: `HTTP ${res.status}: ${text.slice(0, 500)}` }] };
  }
};

function ExamplesPanel() {
  const { addTab } = useGraphiQLActions();
  const queryEditor = useGraphiQL((s) => s.queryEditor);
  const variableEditor = useGraphiQL((s) => s.variableEditor);
  const open = (ex: Example) => {
    addTab();
    queryEditor?.setValue(ex.query);
    variableEditor?.setValue(ex.variables ?? "");
  };
  return (
    <div className="es-examples">
      <div className="graphiql-doc-explorer-title">Examples</div>
      <p className="es-muted">Each opens in a new tab. Run it with the ▶ button or Ctrl+Enter.</p>
      <ul>
        {EXAMPLES.map((ex) => (
          <li key={ex.title}>
            <button type="button" className="es-example" onClick={() => open(ex)}>
              <strong>{ex.title}</strong>
              <span>{ex.description}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

const examplesPlugin: GraphiQLPlugin = {
  title: "Examples",
  icon: () => (
    <svg viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
      <path d="M5 4h10l4 4v12H5z" />
      <path d="M15 4v4h4M8 12h8M8 16h6" />
    </svg>
  ),
  content: ExamplesPanel,
};

const defaultTabs = EXAMPLES.map((ex) => ({ query: ex.query, variables: ex.variables ?? null }));

type Who = { status: "checking" } | { status: "signed-out" } | { status: "in"; name: string; role: string } | { status: "error"; message: string };

function Header({ who }: { who: Who }) {
  return (
    <header className="es-bar">
      <a href="/" className="es-brand" aria-label="Back to Enterpristore CRM">
        <svg viewBox="0 0 32 32" width="22" height="22" aria-hidden>
          <rect width="32" height="32" rx="8" fill="#4f46e5" />
          <path d="M9 10h14v3H12.5v2.5H21v3h-8.5V21H23v3H9z" fill="#fff" />
        </svg>
        <span>Enterpristore</span>
        <span className="es-tag">GraphiQL</span>
      </a>
      <span className="es-spacer" />
      {who.status === "in" && (
        <span className="es-who" data-testid="graphiql-user">
          {who.name} · {who.role}
        </span>
      )}
      <a href="/board" className="es-link">← Back to the app</a>
    </header>
  );
}

function Page() {
  const [who, setWho] = useState<Who>({ status: "checking" });
  useEffect(() => {
    fetch("/auth/me", { credentials: "same-origin", headers: { accept: "application/json" } })
      .then(async (res) => {
        if (res.status === 401) return setWho({ status: "signed-out" });
        if (!res.ok) return setWho({ status: "error", message: `The server answered ${res.status}.` });
        const body = (await res.json()) as { user?: { name?: string }; role?: string };
        setWho({ status: "in", name: body.user?.name ?? "", role: body.role ?? "" });
      })
      .catch(() => setWho({ status: "error", message: "The server cannot be reached." }));
  }, []);
  return (
    <div className="es-page">
      <Header who={who} />
      {who.status === "checking" && <div className="es-center">Loading…</div>}
      {who.status === "signed-out" && (
        <div className="es-center">
          <div className="es-card" role="alert">
            <h1>Sign in first</h1>
            <p>GraphiQL runs your queries as you, with the session of the app.</p>
            <p>
              <a className="es-btn" href="/">Sign in to Enterpristore</a>
            </p>
            <p className="es-muted">Then come back to this page and reload it.</p>
          </div>
        </div>
      )}
      {who.status === "error" && (
        <div className="es-center">
          <div className="es-card" role="alert">
            <h1>GraphiQL cannot start</h1>
            <p>{who.message}</p>
          </div>
        </div>
      )}
      {who.status === "in" && (
        <div className="es-graphiql">
          <GraphiQL
            fetcher={fetcher}
            defaultTabs={defaultTabs}
            plugins={[examplesPlugin]}
            defaultEditorToolsVisibility="variables"
            isHeadersEditorEnabled={false}
            forcedTheme="light"
          />
        </div>
      )}
    </div>
  );
}

createRoot(document.getElementById("graphiql-root")!).render(
  <StrictMode>
    <Page />
  </StrictMode>,
);

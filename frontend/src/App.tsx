import { lazy, Suspense, useEffect } from "react";
import { Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { ToastProvider } from "./components/Toasts";
import { Spinner } from "./components/ui";
import { ReferenceProvider, useReference } from "./reference";
import { useAuth } from "./auth";
import { Avatar } from "./components/ui";
import { BoardPage } from "./board/BoardPage";

// The board is the landing screen and is in the main bundle; the list and the detail load on first visit.
const LeadsPage = lazy(() => import("./leads/LeadsPage"));
const LeadDetailPage = lazy(() => import("./leads/LeadDetailPage"));

function Nav() {
  const { search, pathname } = useLocation();
  // the filter travels between board and list
  const keep = pathname.startsWith("/leads/") ? "" : search;
  return (
    <header className="topbar">
      <NavLink to="/board" className="brand" aria-label="Enterpristore CRM home">
        <svg viewBox="0 0 32 32" width="26" height="26" aria-hidden>
          <rect width="32" height="32" rx="8" fill="#4f46e5" />
          <path d="M9 10h14v3H12.5v2.5H21v3h-8.5V21H23v3H9z" fill="#fff" />
        </svg>
        <span>Enterpristore</span>
      </NavLink>
      <nav aria-label="Main">
        <NavLink to={{ pathname: "/board", search: keep }} className={({ isActive }) => `nav-link ${isActive ? "active" : ""}`}>
          Board
        </NavLink>
        <NavLink to={{ pathname: "/leads", search: keep }} end className={({ isActive }) => `nav-link ${isActive ? "active" : ""}`}>
          Leads
        </NavLink>
      </nav>
      <GraphiQLLink />
      <UserMenu />
    </header>
  );
}

/** GraphiQL is its own page (its own bundle): a plain link, a full page load. */
function GraphiQLLink() {
  const { can } = useReference();
  if (!can("leads.view")) return null;
  return (
    <a href="/graphiql" className="nav-link graphiql-link" title="Query the GraphQL API (for analysts)">
      GraphiQL
    </a>
  );
}

/** /graphiql reached the app: the server has no route for GraphiQL's page yet, so go to the built file. */
function GraphiQLRedirect() {
  useEffect(() => window.location.replace("/graphiql.html"), []);
  return <div className="page-loading"><Spinner /></div>;
}

function UserMenu() {
  const { state, signOut } = useAuth();
  if (state.status !== "signed-in") return null;
  const initials = state.name.split(/\s+/).filter(Boolean).map((p) => p[0]).slice(0, 2).join("").toUpperCase();
  return (
    <div className="user-menu">
      <Avatar name={state.name} initials={initials || "?"} size={28} />
      <span className="user-name">{state.name}</span>
      <button type="button" className="link-btn small" onClick={() => void signOut()}>
        Sign out
      </button>
    </div>
  );
}

function Title() {
  const { pathname } = useLocation();
  useEffect(() => {
    const name = pathname.startsWith("/leads/") ? "Lead" : pathname.startsWith("/leads") ? "Leads" : "Board";
    document.title = `${name} · Enterpristore CRM`;
  }, [pathname]);
  return null;
}

export function App() {
  return (
    <ToastProvider>
      <ReferenceProvider>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <Nav />
        <Title />
        <main id="main" className="main">
          <Suspense fallback={<div className="page-loading"><Spinner /></div>}>
            <Routes>
              <Route path="/" element={<Navigate to="/board" replace />} />
              <Route path="/board" element={<BoardPage />} />
              <Route path="/board/:pipelineId" element={<BoardPage />} />
              <Route path="/leads" element={<LeadsPage />} />
              <Route path="/leads/:id" element={<LeadDetailPage />} />
              <Route path="/graphiql" element={<GraphiQLRedirect />} />
              <Route
                path="*"
                element={
                  <div className="empty-state">
                    <h2>Page not found</h2>
                    <p>
                      <NavLink to="/board">Go to the board</NavLink>
                    </p>
                  </div>
                }
              />
            </Routes>
          </Suspense>
        </main>
      </ReferenceProvider>
    </ToastProvider>
  );
}

import { StrictMode, useMemo } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { Provider } from "urql";
import { AuthProvider, SignInPage, useAuth } from "./auth";
import { createClient } from "./client";
import { App } from "./App";
import { Spinner } from "./components/ui";
import "./styles.css";

function Root() {
  const { state } = useAuth();
  // a fresh client (and cache) per signed-in user: nothing of one session leaks into the next
  const key = state.status === "signed-in" ? `in:${state.name}` : state.status;
  const client = useMemo(() => createClient(), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  if (state.status === "checking") return <div className="page-loading"><Spinner /></div>;
  if (state.status === "signed-out") return <SignInPage />;
  return (
    <Provider value={client}>
      <App />
    </Provider>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <BrowserRouter>
      <AuthProvider>
        <Root />
      </AuthProvider>
    </BrowserRouter>
  </StrictMode>,
);

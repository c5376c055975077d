// Who is signed in. The session is an HttpOnly cookie set by POST /auth/sign-in; the bundle never sees a secret.
// A backend without the /auth endpoints (older versions) is treated as open.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

export type AuthState =
  | { status: "checking" }
  | { status: "open" }
  | { status: "signed-out"; reason?: string }
  | { status: "signed-in"; name: string; role?: string };

interface AuthApi {
  state: AuthState;
  signIn: (email: string, password: string) => Promise<string | null>;
  signOut: () => Promise<void>;
}

const Ctx = createContext<AuthApi | null>(null);
export const UNAUTHENTICATED_EVENT = "enterpristore:unauthenticated";

async function readMe(): Promise<AuthState> {
  try {
    const res = await fetch("/auth/me", { credentials: "same-origin", headers: { accept: "application/json" } });
    if (res.status === 401) return { status: "signed-out" };
    if (!res.ok) return { status: "open" };
    const body = (await res.json()) as { user?: { name?: string }; role?: string };
    return { status: "signed-in", name: body.user?.name ?? "", role: body.role };
  } catch {
    return { status: "open" };
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "checking" });
  useEffect(() => {
    void readMe().then(setState);
    // a GraphQL request answered 401: the session expired or was revoked
    const onExpired = () => setState((s) => (s.status === "open" ? s : { status: "signed-out", reason: "Your session has ended. Sign in again." }));
    window.addEventListener(UNAUTHENTICATED_EVENT, onExpired);
    return () => window.removeEventListener(UNAUTHENTICATED_EVENT, onExpired);
  }, []);
  const signIn = useCallback(async (email: string, password: string) => {
    let res: Response;
    try {
      res = await fetch("/auth/sign-in", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ email, password }),
      });
    } catch {
      return "The server cannot be reached.";
    }
    if (res.ok) {
      setState(await readMe());
      return null;
    }
    const body = (await res.json().catch(() => null)) as { errors?: { message?: string }[] } | null;
    return body?.errors?.[0]?.message ?? `Sign-in failed (${res.status}).`;
  }, []);
  const signOut = useCallback(async () => {
    await fetch("/auth/sign-out", { method: "POST", credentials: "same-origin", headers: { "content-type": "application/json" } }).catch(() => null);
    setState({ status: "signed-out" });
  }, []);
  const value = useMemo(() => ({ state, signIn, signOut }), [state, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): AuthApi {
  const v = useContext(Ctx);
  if (!v) throw new Error("useAuth outside AuthProvider");
  return v;
}

export function SignInPage() {
  const { state, signIn } = useAuth();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    const problem = await signIn(email.trim(), password);
    setBusy(false);
    setError(problem);
  };
  return (
    <div className="signin">
      <form className="signin-card panel form" onSubmit={submit} aria-labelledby="signin-h" noValidate>
        <div className="signin-brand">
          <svg viewBox="0 0 32 32" width="36" height="36" aria-hidden>
            <rect width="32" height="32" rx="8" fill="#4f46e5" />
            <path d="M9 10h14v3H12.5v2.5H21v3h-8.5V21H23v3H9z" fill="#fff" />
          </svg>
          <h1 id="signin-h">Sign in to Enterpristore</h1>
        </div>
        {state.status === "signed-out" && state.reason && <p className="muted">{state.reason}</p>}
        <label className="field">
          <span>Email</span>
          <input className="input" type="email" autoComplete="username" autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Password</span>
          <input className="input" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p className="field-error" role="alert">{error}</p>}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </div>
  );
}

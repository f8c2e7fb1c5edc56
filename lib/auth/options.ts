import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { cookies } from "next/headers";
import { getServerSession, type NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getEnv, publicUrl, resolveAuthSecret } from "../env";
import { db } from "../db/client";
import { signInSchema } from "../accounts/schemas";
import { signInWithPassword, signInWithSso } from "./sign-in";
import { clientIpFrom } from "./client-ip";
import { openLinkIntent, SSO_LINK_COOKIE } from "./sso-link";
import { SESSION_MAX_AGE } from "./session-roll";
import { RateLimitedError } from "./rate-limit";

/**
 * Per request to next-auth's route: set when a credentials sign-in was refused by a rate limit,
 * so the route can answer 429 with Retry-After instead of next-auth's 401.
 */
export const signInOutcome = new AsyncLocalStorage<{ retryAfterSeconds?: number }>();

/** What the sign-in page shows for each refused single sign-on (app/(public)/signin/page.tsx). */
const SSO_ERROR_CODES = { "no-email": "SsoNoEmail", privileged: "SsoLinkFromAccount", taken: "SsoTaken" } as const;

/**
 * The signed-in user who asked to link single sign-on from the Account page (lib/auth/sso-link.ts):
 * the sealed request cookie must name the user of the current session. Used once, then cleared.
 */
async function linkRequest(): Promise<string | undefined> {
  const jar = await cookies();
  const requested = openLinkIntent(resolveAuthSecret(getEnv()), jar.get(SSO_LINK_COOKIE)?.value);
  if (!requested) return undefined;
  jar.delete(SSO_LINK_COOKIE);
  const session = await getServerSession(authOptions());
  return session?.userId === requested ? requested : undefined;
}

function buildOptions(): NextAuthOptions {
  const env = getEnv();
  // next-auth 4 takes its base URL from process.env.NEXTAUTH_URL on every request and logs
  // "[next-auth][warn][NEXTAUTH_URL]" when it is missing. `npm start` sets it; any other way of
  // running the app (`npm run dev`, `next start`) gets the same derived address here.
  process.env.NEXTAUTH_URL ??= env.publicUrl.href;
  const providers: NextAuthOptions["providers"] = [
    CredentialsProvider({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error("Invalid email or password");
        const ip = clientIpFrom(request.headers ?? {});
        try {
          const user = await signInWithPassword(db(), parsed.data.email, parsed.data.password, ip);
          return { id: user.id, email: user.email, name: user.name };
        } catch (error) {
          const outcome = signInOutcome.getStore();
          if (error instanceof RateLimitedError && outcome) outcome.retryAfterSeconds = error.retryAfterSeconds;
          throw error;
        }
      },
    }),
  ];
  if (env.oidc) {
    providers.push({
      id: "oidc",
      name: env.oidc.displayName,
      type: "oauth",
      wellKnown: `${env.oidc.issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
      clientId: env.oidc.clientId,
      clientSecret: env.oidc.clientSecret,
      authorization: { params: { scope: "openid email profile" } },
      idToken: true,
      checks: ["pkce", "state"],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email ?? null, name: profile.name ?? profile.email ?? null };
      },
    });
  }
  return {
    secret: resolveAuthSecret(env),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    // Secure (and __Secure- prefixed) cookies whenever the public URL is HTTPS.
    useSecureCookies: publicUrl(env).protocol === "https:",
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    callbacks: {
      async signIn({ user, account, profile }) {
        if (account?.provider !== "oidc") return true;
        const linkTo = await linkRequest();
        const outcome = await signInWithSso(
          db(),
          {
            provider: account.provider,
            subject: account.providerAccountId,
            email: user.email ?? undefined,
            emailVerified: (profile as { email_verified?: boolean } | undefined)?.email_verified === true,
            name: user.name ?? undefined,
          },
          linkTo,
        );
        if (!outcome.ok) return linkTo ? "/account?sso=taken" : `/signin?error=${SSO_ERROR_CODES[outcome.reason]}`;
        user.id = outcome.user.id;
        return true;
      },
      async jwt({ token, user }) {
        // The token carries the user id and the user's session version at sign-in; role and
        // name are read fresh from the database on every request (lib/auth/session.ts), so a
        // role change applies at once, and a raised version ends the session.
        if (user) {
          const row = await db().user.findUnique({ where: { id: user.id }, select: { sessionVersion: true, mustChangePassword: true } });
          return { ...token, ...sessionClaims(user.id, row?.sessionVersion ?? 0, row?.mustChangePassword ?? false) };
        }
        return token;
      },
      async session({ session, token }) {
        const user = token.sub
          ? await db().user.findUnique({ where: { id: token.sub }, select: { name: true, email: true, role: true, sessionVersion: true } })
          : null;
        if (!user || user.sessionVersion !== (token.sv ?? 0)) return { expires: session.expires };
        return { expires: session.expires, userId: token.sub, role: user.role, user: { name: user.name, email: user.email } };
      },
    },
  };
}

/** What a session cookie carries besides next-auth's own fields. */
export function sessionClaims(userId: string, sessionVersion: number, mustChangePassword: boolean): { sub: string; sv: number; pw?: true } {
  return { sub: userId, sv: sessionVersion, ...(mustChangePassword ? { pw: true as const } : {}) };
}

/** The session cookie's name and attributes, as next-auth sets them. */
export function sessionCookie(): { name: string; secure: boolean; maxAge: number } {
  const secure = authOptions().useSecureCookies === true;
  return { name: `${secure ? "__Secure-" : ""}next-auth.session-token`, secure, maxAge: SESSION_MAX_AGE };
}

let options: NextAuthOptions | undefined;

export function authOptions(): NextAuthOptions {
  options ??= buildOptions();
  return options;
}

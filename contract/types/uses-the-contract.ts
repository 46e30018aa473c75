// A few lines a Next.js frontend writes against the types openapi-typescript generates from contract/openapi.yaml
// (into ./generated/, by `npm run types`). `tsc --noEmit` must accept them, and must refuse each line marked as an
// expected error below: that is how ./test.sh proves the generated client carries authorization_url, the problem
// body and the error codes, and would notice if the contract lost them.
import type { components, paths } from './generated/openapi';

type Responses<P extends keyof paths, M extends keyof paths[P]> =
    paths[P][M] extends { responses: infer R } ? R : never;
type Json<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type ProblemOf<R> = R extends { content: { 'application/problem+json': infer B } } ? B : never;

// GET /authorize: where to send the browser, and the state to keep for the callback.
type Started = Json<Responses<'/auth/soundcloud/authorize', 'get'>[200]>;

export function startSignIn(started: Started, sessionStorage: Storage): string {
    sessionStorage.setItem('sc_oauth_state', started.state);
    return started.authorization_url;
}

// @ts-expect-error -- the answer has no field called "redirect_url": a typo is caught at build time.
export const typo = (started: Started): string => started.redirect_url;

// Every error is an RFC 9457 problem with a stable code to branch on.
type Problem = components['schemas']['Problem'];

export function sentenceFor(problem: Problem): string {
    return `${problem.title} (${problem.status}): ${problem.detail} [${problem.error}]`;
}

// POST /refresh answers 401 only with invalid_grant: "sign in again".
type RefreshRefused = ProblemOf<Responses<'/auth/soundcloud/refresh', 'post'>[401]>;

export function mustSignInAgain(problem: RefreshRefused): boolean {
    const code: 'invalid_grant' = problem.error;
    return code === 'invalid_grant';
}

// @ts-expect-error -- a 401 from /refresh can never carry another code.
export const notARefreshCode: RefreshRefused['error'] = 'upstream_timeout';

// The tokens of a finished sign-in, as the app keeps them.
type SignedIn = Json<Responses<'/auth/soundcloud/callback', 'post'>[200]>;

export function keep(result: SignedIn, localStorage: Storage, now: number): void {
    localStorage.setItem('access_token', result.access_token);
    localStorage.setItem('refresh_token', result.refresh_token);
    localStorage.setItem('token_expires_at', String(now + result.expires_in * 1000));
    localStorage.setItem('sc_user', JSON.stringify(result.user));
}

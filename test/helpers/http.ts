// A small HTTP client with a cookie jar, for driving the server as a browser would: fetch a
// form, keep the session cookie, send the CSRF token back.
export class Browserless {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: RequestInit & { form?: Record<string, string> } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader);
    let body = init.body;
    if (init.form) {
      headers.set('content-type', 'application/x-www-form-urlencoded');
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(this.base + path, { ...init, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  }

  /** The CSRF token from a page's first form. */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.request(path, { headers: { accept: 'text/html' } })).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no CSRF token on ${path}`);
    return m[1]!;
  }

  async signIn(username: string, password: string): Promise<Response> {
    const token = await this.csrfFrom('/sign-in');
    return this.request('/sign-in', { method: 'POST', form: { _csrf: token, username, password }, headers: { accept: 'text/html' } });
  }
}

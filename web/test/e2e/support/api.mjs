// The JSON API from the test itself, for the steps no page does yet (the facilitator's
// desk, the administrator's configuration: later phases of issue 16). Bearer tokens; every
// successful JSON answer is checked against its OpenAPI schema.
import { responseErrors } from './openapi.mjs';

export class ApiClient {
  constructor(baseUrl, mismatches, token = '') {
    this.baseUrl = baseUrl;
    this.mismatches = mismatches;
    this.token = token;
  }

  static async login(baseUrl, mismatches, login, password) {
    const c = new ApiClient(baseUrl, mismatches);
    const r = await c.call('POST', '/api/auth/token', { login, password });
    c.token = r.token;
    return c;
  }

  async call(method, path, body, expected = [200, 201]) {
    const headers = { 'Content-Type': 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const r = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!expected.includes(r.status)) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`);
    if (r.ok) this.mismatches.push(...responseErrors(method, new URL(this.baseUrl + path).pathname, json));
    return json;
  }

  get(path) {
    return this.call('GET', path);
  }

  post(path, body = {}) {
    return this.call('POST', path, body);
  }
}

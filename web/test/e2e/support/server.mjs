// A real `rubrica serve` for a test: its own temporary data directory, a free port on
// loopback, stopped with SIGTERM. Reads the JSON log lines it prints (the administrator's
// one-time link among them).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../../..');

export function rubricaBinary() {
  const b = process.env.RUBRICA_BINARY ?? path.join(repoRoot, 'build/asan-ubsan/bin/rubrica');
  if (!fs.existsSync(b)) throw new Error(`no rubrica binary at ${b}: build it or set RUBRICA_BINARY`);
  return b;
}

export function tempDir(tag) {
  return fs.mkdtempSync(path.join(os.tmpdir(), `rubrica-web-${tag}-`));
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export class RubricaServer {
  /** Starts `rubrica serve` on `dataDir` (created, 0700, before start by the caller if it adds trust anchors). */
  static async start(dataDir) {
    const port = await freePort();
    const child = spawn(rubricaBinary(), ['serve', '--data-dir', dataDir, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env },
    });
    const server = new RubricaServer(child, port, dataDir);
    await server.#waitFor('server.started', 120_000);
    const home = await fetch(server.url + '/');
    if (home.status !== 200) {
      await server.stop();
      throw new Error(`GET / answered ${home.status}: the pages are not built (run scripts/web.sh) or web.root is wrong`);
    }
    return server;
  }

  constructor(child, port, dataDir) {
    this.child = child;
    this.port = port;
    this.dataDir = dataDir;
    this.url = `http://127.0.0.1:${port}`;
    this.events = [];
    this.stderr = '';
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          this.events.push(JSON.parse(line));
        } catch {
          // not a log line
        }
      }
    });
    child.stderr.on('data', (chunk) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  event(name) {
    return this.events.find((e) => e.event === name);
  }

  async #waitFor(name, ms) {
    const deadline = Date.now() + ms;
    while (!this.event(name)) {
      if (this.child.exitCode !== null) throw new Error(`rubrica serve exited ${this.child.exitCode}: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`rubrica serve did not log ${name} within ${ms} ms: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The administrator's one-time link, as `rubrica serve` printed it. */
  adminLink() {
    return this.event('accounts.administrator_invitation')?.link;
  }

  /** The link in the newest outbox e-mail to `to` whose link's path is `pathname` (any when null), once it is there. */
  async waitForOutboxLink(to, pathname, ms = 30_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        return this.outboxLink(to, pathname);
      } catch (e) {
        if (Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** The link in the newest outbox e-mail to `to` (an invitation) whose path is `pathname` (any when null). */
  outboxLink(to, pathname = null) {
    const dir = path.join(this.dataDir, 'outbox');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
    for (const f of files.reverse()) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      if (!new RegExp(`^To: ${to.replace(/[.+]/g, '\\$&')}\\r?$`, 'm').test(text)) continue;
      const link = /https?:\/\/\S+/.exec(text.split(/\r?\n\r?\n/).slice(1).join('\n'));
      if (link && (pathname === null || new URL(link[0]).pathname === pathname)) return link[0];
    }
    throw new Error(`no e-mail to ${to}${pathname ? ` with a link to ${pathname}` : ''} in ${dir}`);
  }

  async stop() {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const r = await this.exited;
    return r;
  }
}

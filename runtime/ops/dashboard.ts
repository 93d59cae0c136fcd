import { type Bar, renderBarList, renderColumnChart } from "./charts.ts";
import { DASHBOARD_CSS } from "./styles.ts";
import { formatAge, formatNumber, formatTime, type Html, html, trusted } from "./html.ts";
import { toNumber } from "./metrics.ts";
import type { DashboardSnapshot } from "./snapshot.ts";

/** How often the page reloads itself: a glance at a wall screen stays current. */
export const REFRESH_SECONDS = 30;

/** The whole dashboard page; `nonce` admits its one inline stylesheet under the CSP. */
export function renderDashboard(snapshot: DashboardSnapshot, nonce: string): string {
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta http-equiv="refresh" content="${REFRESH_SECONDS}" />
        <title>orgstack ops · ${snapshot.database}</title>
        <style nonce="${nonce}">
          ${trusted(DASHBOARD_CSS)}
        </style>
      </head>
      <body>
        <header>
          <h1>orgstack ops · ${snapshot.database}</h1>
          <span class="muted"
            >taken ${formatTime(snapshot.taken_at)} · refreshes every ${REFRESH_SECONDS} s</span
          >
        </header>
        ${renderHealth(snapshot)}${renderAlerts(snapshot)}
        <div class="columns">${renderFunctions(snapshot)}${renderJobs(snapshot)}</div>
        ${renderStatements(snapshot)}${renderBackups(snapshot)}
      </body>
    </html>`;
  return page.markup;
}

function renderHealth(snapshot: DashboardSnapshot): Html {
  const counts = { ok: 0, warning: 0, critical: 0, unknown: 0 } as Record<string, number>;
  for (const row of snapshot.health) counts[row.status] = (counts[row.status] ?? 0) + 1;
  const tiles = snapshot.health.map((row) => {
    const value = toNumber(row.value);
    const measured = value === null ? "nothing measured" : `${formatNumber(value)} ${row.unit}`;
    return html`<div class="tile ${row.status}" data-check="${row.check}">
      <b>${row.title}</b><span class="badge ${row.status}">${row.status}</span>
      <small>
        ${measured}${row.subject ? html` · ${row.subject}` : ""} · warn ${formatNumber(row.warn)} /
        crit ${formatNumber(row.critical)}</small
      >
    </div>`;
  });
  return html`<section id="health">
    <h2>Health by check</h2>
    <p class="summary">
      ${Object.entries(counts).map(([s, n]) => html`<span><span class="badge ${s}">${s}</span> ${n}</span>`)}
    </p>
    <div class="grid">${tiles}</div>
  </section>`;
}

function renderAlerts(snapshot: DashboardSnapshot): Html {
  const rows = snapshot.alerts.map(
    (a) =>
      html`<tr class="${a.state}">
        <td><span class="badge ${a.state}">${a.state}</span></td>
        <td><span class="badge ${a.severity}">${a.severity}</span></td>
        <td>${a.check}</td>
        <td>${a.subject}</td>
        <td>${formatNumber(a.value)}</td>
        <td>${formatTime(a.fired_at)}</td>
        <td>${formatTime(a.resolved_at)}</td>
      </tr>`,
  );
  const firing = snapshot.alerts.filter((a) => a.state === "firing").length;
  return html`<section id="alerts">
    <h2>Alerts · ${firing} firing</h2>
    ${
      rows.length === 0
        ? html`<p class="muted">No alert has fired.</p>`
        : html`<table>
            <tr>
              <th>state</th>
              <th>severity</th>
              <th>check</th>
              <th>subject</th>
              <th>value</th>
              <th>fired</th>
              <th>resolved</th>
            </tr>
            ${rows}
          </table>`
    }
  </section>`;
}

function renderFunctions(snapshot: DashboardSnapshot): Html {
  const bars: Bar[] = snapshot.activity.map((m) => ({
    label: m.minute.slice(11, 16),
    parts: [
      [m.calls - m.errors, "calls"],
      [m.errors, "errors"],
    ],
  }));
  const rows = snapshot.errors.map(
    (e) =>
      html`<tr>
        <td>${formatTime(e.created_at)}</td>
        <td>${e.function_name}</td>
        <td><span class="badge failed">${e.status}</span></td>
        <td>${e.error_code ?? ""}</td>
        <td><code>${e.request_id}</code></td>
      </tr>`,
  );
  return html`<section id="functions">
    <h2>Function calls and errors · last hour</h2>
    ${renderColumnChart("Function calls per minute (red: non-2xx)", bars)}
    ${
      rows.length === 0
        ? html`<p class="muted">No function answered non-2xx.</p>`
        : html`<table>
            <tr>
              <th>at</th>
              <th>function</th>
              <th>status</th>
              <th>error</th>
              <th>request id</th>
            </tr>
            ${rows}
          </table>`
    }
  </section>`;
}

function renderJobs(snapshot: DashboardSnapshot): Html {
  const statuses = ["completed", "queued", "running", "dead"];
  const kinds = [...new Set(snapshot.jobs.map((j) => j.kind))];
  const count = (kind: string, status: string) =>
    snapshot.jobs.find((j) => j.kind === kind && j.status === status)?.jobs ?? 0;
  const bars: Bar[] = kinds.map((kind) => ({
    label: kind,
    parts: statuses.map((s) => [count(kind, s), s] as const),
  }));
  const rows = kinds.map(
    (kind) =>
      html`<tr>
        <td>${kind}</td>
        ${statuses.map((s) => html`<td>${count(kind, s)}</td>`)}
      </tr>`,
  );
  const dead = snapshot.jobs.filter((j) => j.status === "dead").reduce((n, j) => n + j.jobs, 0);
  return html`<section id="jobs">
    <h2>Jobs · ${dead} in the dead letter</h2>
    ${
      kinds.length === 0
        ? html`<p class="muted">The queue is empty.</p>`
        : html`${renderColumnChart("Jobs by kind and status", bars, 8)}
            <table>
              <tr>
                <th>kind</th>
                ${statuses.map((s) => html`<th><span class="badge ${s}">${s}</span></th>`)}
              </tr>
              ${rows}
            </table>`
    }
  </section>`;
}

function renderStatements(snapshot: DashboardSnapshot): Html {
  if (snapshot.statements === null) {
    return html`<section id="statements">
      <h2>Slow statements</h2>
      <p class="muted">pg_stat_statements is not installed in this database.</p>
    </section>`;
  }
  const list = snapshot.statements.map((s) => ({
    label: s.query.replace(/\s+/g, " "),
    value: s.mean_ms,
    cls: "slow",
    text: `${formatNumber(s.mean_ms)} ms`,
  }));
  const rows = snapshot.statements.map(
    (s) =>
      html`<tr>
        <td>${formatNumber(s.mean_ms)}</td>
        <td>${s.calls}</td>
        <td>${formatNumber(s.total_ms)}</td>
        <td><code>${s.query}</code></td>
      </tr>`,
  );
  return html`<section id="statements">
    <h2>Slow statements · top ${list.length} by mean time</h2>
    ${renderBarList("Mean execution time (ms)", list)}
    <table>
      <tr>
        <th>mean ms</th>
        <th>calls</th>
        <th>total ms</th>
        <th>statement</th>
      </tr>
      ${rows}
    </table>
  </section>`;
}

function renderBackups(snapshot: DashboardSnapshot): Html {
  const { latest, verified_age_seconds: verified, drill } = snapshot.backups;
  const rows = snapshot.runs.map(
    (r) =>
      html`<tr>
        <td>${r.kind}</td>
        <td><span class="badge ${r.status}">${r.status}</span></td>
        <td>${formatTime(r.started_at)}</td>
        <td>${formatTime(r.finished_at)}</td>
        <td>${formatNumber(r.bytes)}</td>
        <td>${r.verify_status ?? ""}</td>
        <td>${r.error ?? ""}</td>
      </tr>`,
  );
  return html`<section id="backups">
    <h2>Backups</h2>
    <p class="summary">
      <span>latest verified: <b>${formatAge(verified)}</b> ago</span>
      <span>last drill: ${renderDrill(drill)}</span>
      ${latest.map((b) => html`<span>${b.kind}: ${formatAge(b.age_seconds)} ago</span>`)}
    </p>
    ${
      rows.length === 0
        ? html`<p class="muted">No backup has run.</p>`
        : html`<table>
            <tr>
              <th>kind</th>
              <th>status</th>
              <th>started</th>
              <th>finished</th>
              <th>bytes</th>
              <th>verified</th>
              <th>error</th>
            </tr>
            ${rows}
          </table>`
    }
  </section>`;
}

function renderDrill(drill: DashboardSnapshot["backups"]["drill"]): Html {
  if (drill === null) return html`never`;
  const result = drill.succeeded ? "succeeded" : "failed";
  return html`<span class="badge ${result}">${result}</span> ${formatAge(drill.age_seconds)} ago`;
}

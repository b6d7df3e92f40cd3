// items/<exhibit>.html: one exhibit shown as it appeared on the platform — author, time, text,
// the thread around it — for a reader without the platform. Every piece of captured text is
// escaped and the page forbids scripts, so a comment containing markup is shown, never run.

import { ukLocalTime, utcTime, type EvidenceItem } from '../../core/evidence';
import { hateCrimeLabel, offenceLabel, platformName } from './labels';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function when(instant: Date): string {
  return `<time datetime="${instant.toISOString()}">${escapeHtml(utcTime(instant))} (${escapeHtml(ukLocalTime(instant))})</time>`;
}

/** Only http(s) links become links; anything else is shown as text. */
function link(url: string | undefined): string {
  if (!url) return '<span>none recorded</span>';
  return /^https?:\/\//i.test(url) ? `<a href="${escapeHtml(url)}" rel="noreferrer noopener">${escapeHtml(url)}</a>` : escapeHtml(url);
}

function author(handle: string | undefined, displayName: string | undefined, accountId: string): string {
  const name = displayName ? `<strong>${escapeHtml(displayName)}</strong> ` : '';
  const at = handle ? `<span>@${escapeHtml(handle)}</span> ` : '';
  return `${name}${at}<span class="id">account id ${escapeHtml(accountId)}</span>`;
}

export function itemHtml(item: Omit<EvidenceItem, 'rawPayload'>, caseReference: string, rawFile: string): string {
  const context = item.threadContext
    .map(
      (c) => `<li class="context"><p class="meta">${escapeHtml(c.relation.replace('_', ' '))} · ${author(c.handle, c.displayName, c.accountId)} · ${when(c.createdAt)}</p>
<p class="text" dir="auto">${escapeHtml(c.text)}</p><p class="meta">${link(c.permalink)}</p></li>`,
    )
    .join('\n');
  const flags = item.flags
    .map((f) => {
      const offences = f.offences.map((o) => escapeHtml(offenceLabel(o))).join('; ');
      const hate = f.target ? ` Directed at: ${escapeHtml(hateCrimeLabel(f.target))}.` : '';
      return `<li>${escapeHtml(f.category)}: ${escapeHtml(f.reason)}.${hate}${offences ? ` May amount to: ${offences}.` : ''}</li>`;
    })
    .join('\n');
  const gone = item.platformGone.map((g) => `<li>${when(g.checkedAt)}: ${escapeHtml(g.status.replace(/_/g, ' '))} — ${escapeHtml(g.detail)}</li>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Exhibit ${escapeHtml(item.exhibit)} — ${escapeHtml(caseReference)}</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 42em; margin: 2em auto; color: #0b0c0c; }
.post { border: 1px solid #b1b4b6; padding: 1em; } .meta { color: #505a5f; font-size: 0.9em; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1.1em; } .id { font-family: monospace; }
ul { padding-left: 1.2em; } .context { border-left: 4px solid #b1b4b6; list-style: none; padding-left: 0.8em; margin-bottom: 0.8em; }
</style>
</head>
<body>
<p class="meta">OFFICIAL-SENSITIVE · Case ${escapeHtml(caseReference)} · Exhibit <strong>${escapeHtml(item.exhibit)}</strong></p>
<h1>Exhibit ${escapeHtml(item.exhibit)}: ${escapeHtml(platformName(item.platform))} comment ${escapeHtml(item.externalId)}</h1>
${context ? `<h2>In the thread before and after it</h2>\n<ul>\n${context}\n</ul>` : ''}
<div class="post">
<p class="meta">${author(item.handle, item.displayName, item.accountId)}</p>
<p class="text" dir="auto">${escapeHtml(item.text)}</p>
<p class="meta">Written ${when(item.createdAt)}</p>
<p class="meta">Link: ${link(item.permalink)}</p>
</div>
<h2>Capture</h2>
<p>Captured ${when(item.capturedAt)} via ${escapeHtml(item.capturedVia)}. The platform's payload, byte for byte as received, is <code>${escapeHtml(rawFile)}</code>, SHA-256 <code>${escapeHtml(item.rawPayloadSha256)}</code>.</p>
${flags ? `<h2>Why it was flagged</h2>\n<ul>\n${flags}\n</ul>` : ''}
${gone ? `<h2>What the platform reported later</h2>\n<ul>\n${gone}\n</ul>` : ''}
</body>
</html>
`;
}

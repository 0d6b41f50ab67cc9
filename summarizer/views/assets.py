"""Shared pieces of the HTML views: escaping, the inline style sheet and script, the page shell.

Everything is inline (no external assets), and every style is scoped under ``.smz`` so a
fragment can sit inside a notebook output without touching the notebook's own styles.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

__all__ = ["CSS", "LINK_SCHEMES", "SCRIPT", "attr", "badge", "esc", "fragment", "link", "page", "safe_url"]

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# What a browser drops before it reads a URL's scheme: C0 controls and spaces at either end,
# tabs and newlines anywhere ("java\tscript:" is javascript:).
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_INNER = re.compile(r"[\t\n\r]")


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute (``None`` → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def attr(**values: object) -> str:
    """` name="value"` pairs, escaped; ``None`` values are left out, ``_`` in names become ``-``."""
    return "".join(
        f' {name.rstrip("_").replace("_", "-")}="{esc(value)}"'
        for name, value in values.items()
        if value is not None
    )


def safe_url(url: str | None) -> str | None:
    """``url`` if it may become a link: absolute ``http``/``https`` with a host, or ``mailto:``.

    Anything else (``javascript:``, ``data:``, ``file:``, relative or scheme-relative URLs, and
    their obfuscated forms) is ``None``: show it as text, never as an ``href``.
    """
    if not url:
        return None
    cleaned = _URL_INNER.sub("", url.strip(_URL_EDGES))
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. an invalid IPv6 host
        return None
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES or any(ch < " " or ch == "\x7f" for ch in cleaned):
        return None
    if scheme == "mailto":
        return cleaned if parts.path else None
    return cleaned if parts.hostname else None


def link(url: str | None, text: str | None = None) -> str:
    """An escaped ``<a href>`` to ``url`` when :func:`safe_url` allows it, else its text, escaped."""
    shown = esc(text if text is not None else url)
    href = safe_url(url)
    if href is None:
        return shown
    return f'<a{attr(href=href)} rel="noopener noreferrer">{shown}</a>'


def badge(text: str, kind: str = "") -> str:
    return f'<span class="badge {esc(kind)}">{esc(text)}</span>'


CSS = """
.smz{--m:#2563eb;--m-bg:#dbeafe;--a:#b45309;--a-bg:#fef3c7;--ok:#15803d;--bad:#b91c1c;--muted:#6b7280;
 --line:#e5e7eb;font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;
 max-width:1100px;margin:0 auto;padding:8px 16px}
.smz h1{font-size:22px;margin:8px 0 2px}.smz h2{font-size:17px;margin:20px 0 6px;border-bottom:1px solid var(--line)}
.smz h3{font-size:15px;margin:12px 0 4px}.smz .meta{color:var(--muted);font-size:13px}
.smz table{border-collapse:collapse;width:100%;margin:4px 0 8px}
.smz th,.smz td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
.smz th{background:#f9fafb;font-weight:600}.smz td.num,.smz th.num{text-align:right}
.smz .badge{display:inline-block;border-radius:9px;padding:0 7px;font-size:12px;background:#f3f4f6;
 border:1px solid var(--line);white-space:nowrap}
.smz .held,.smz .agreed,.smz .signed,.smz .in_force,.smz .tp{background:#dcfce7;border-color:#86efac}
.smz .planned,.smz .proposed,.smz .under_negotiation,.smz .extended{background:#e0f2fe;border-color:#7dd3fc}
.smz .postponed,.smz .disputed,.smz .optional_match{background:#fef9c3;border-color:#fde047}
.smz .cancelled,.smz .rejected,.smz .fp,.smz .fn{background:#fee2e2;border-color:#fca5a5}
.smz .record{cursor:pointer;transition:background .3s}.smz tr.record:hover,.smz div.record:hover{background:#f9fafb}
.smz .card{border:1px solid var(--line);border-left:4px solid var(--a);border-radius:6px;padding:6px 10px;margin:6px 0}
.smz .card.meeting{border-left-color:var(--m)}
.smz .record.active{outline:2px solid #7c3aed;outline-offset:-2px}
.smz .flash{animation:smzflash 1.2s ease-out}
@keyframes smzflash{0%{background:#ddd6fe}100%{background:transparent}}
.smz mark{cursor:pointer;border-radius:3px;padding:0 1px;background:var(--m-bg);
 box-shadow:inset 0 -2px 0 var(--m)}
.smz mark.a{background:var(--a-bg);box-shadow:inset 0 -2px 0 var(--a)}
.smz mark.both{background:linear-gradient(var(--m-bg),var(--a-bg))}
.smz mark.flash{animation:smzmark 1.2s ease-out}
@keyframes smzmark{0%{background:#c4b5fd}100%{}}
.smz .text{white-space:pre-wrap;border:1px solid var(--line);border-radius:6px;padding:10px 14px;
 background:#fcfcfd;max-height:70vh;overflow:auto}
.smz .quotes{margin:4px 0;padding-left:18px}.smz .rid{font-family:ui-monospace,monospace;color:var(--muted)}
.smz .warn{color:var(--bad)}.smz details{margin:4px 0}.smz summary{cursor:pointer}
.smz .filters{position:sticky;top:0;background:#fff;z-index:2;padding:6px 0;border-bottom:1px solid var(--line);
 display:flex;gap:12px;flex-wrap:wrap;align-items:center}
.smz .filters select{font:inherit;padding:2px 4px}.smz .hidden{display:none!important}
.smz .tl-row{display:grid;grid-template-columns:300px 1fr;gap:8px;align-items:center;font-size:12px;cursor:pointer}
.smz .tl-row:hover{background:#f9fafb}.smz .tl-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.smz .tl-track{position:relative;height:14px;background:repeating-linear-gradient(90deg,#f3f4f6 0 1px,transparent 1px 10%)}
.smz .tl-bar{position:absolute;top:2px;height:10px;min-width:6px;border-radius:5px;background:var(--m)}
.smz .tl-bar.fuzzy{opacity:.35}.smz .tl-bar.planned{background:#0ea5e9}.smz .tl-bar.postponed{background:#eab308}
.smz .tl-bar.cancelled{background:var(--bad)}
.smz .tl-axis{display:grid;grid-template-columns:300px 1fr;gap:8px;font-size:11px;color:var(--muted)}
.smz .tl-axis div:last-child{display:flex;justify-content:space-between}
.smz .side{display:grid;grid-template-columns:1fr 110px 1fr;gap:6px;align-items:stretch;margin:4px 0}
.smz .side>div{border:1px solid var(--line);border-radius:6px;padding:4px 8px;font-size:13px}
.smz .side .mid{text-align:center;border:none}.smz .empty{color:var(--muted);font-style:italic}
.smz .diag{background:#dcfce7;font-weight:600}.smz .off{background:#fee2e2}
.smz svg text{font:12px system-ui,sans-serif}
"""

# One delegated click handler for the whole document, installed once per window, so any number
# of fragments (notebook outputs, articles of a batch page) share it.
SCRIPT = """
(function(){
if (window.__smzInstalled) return; window.__smzInstalled = true;
function flash(el){ el.classList.remove('flash'); void el.offsetWidth; el.classList.add('flash'); }
function esc(s){ return (window.CSS && CSS.escape) ? CSS.escape(s) : s; }
function activate(rec){
  document.querySelectorAll('.smz .record.active').forEach(function(r){ r.classList.remove('active'); });
  rec.classList.add('active'); flash(rec);
}
document.addEventListener('click', function(ev){
  var t = ev.target; if (!(t instanceof Element)) return;
  var mark = t.closest('.smz mark[data-record]');
  if (mark){
    var ids = (mark.getAttribute('data-records') || mark.getAttribute('data-record')).split(' ');
    var rec = document.getElementById(ids[0]);
    if (rec){ rec.scrollIntoView({behavior:'smooth', block:'center'}); activate(rec); }
    return;
  }
  var go = t.closest('.smz [data-goto]');
  if (go){
    var target = document.getElementById(go.getAttribute('data-goto'));
    if (target){ target.scrollIntoView({behavior:'smooth', block:'center'}); if (target.classList.contains('record')) activate(target); else flash(target); }
    return;
  }
  var record = t.closest('.smz .record[id]');
  if (record && !t.closest('a')){
    activate(record);
    var marks = document.querySelectorAll('.smz mark[data-records~="' + esc(record.id) + '"]');
    if (marks.length){ var d = marks[0].closest('details'); if (d) d.open = true;
      marks[0].scrollIntoView({behavior:'smooth', block:'center'}); marks.forEach(flash); }
  }
});
})();
"""


def fragment(body: str, script: str = "") -> str:
    """A self-contained ``<div class="smz">`` with its style and script (for notebooks)."""
    extra = f"<script>{script}</script>" if script else ""
    return f'<div class="smz"><style>{CSS}</style>{body}<script>{SCRIPT}</script>{extra}</div>'


def page(title: str, body: str, script: str = "") -> str:
    """A complete, self-contained HTML document."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(title)}</title></head><body style="margin:0">'
        f"{fragment(body, script)}</body></html>\n"
    )

// The comment text cut into pieces around the words a flag points at, for highlighting with
// <mark> built from text nodes (never HTML). The same cut as markedSegments in core/live.ts.
window.appMarkedSegments = function (text, spans) {
  'use strict';
  var sorted = spans.filter(function (s) { return s.end > s.start; }).sort(function (a, b) { return a.start - b.start; });
  var out = [];
  var at = 0;
  sorted.forEach(function (s) {
    var start = Math.max(at, Math.min(s.start, text.length));
    var end = Math.min(s.end, text.length);
    if (start > at) out.push({ text: text.slice(at, start), marked: false });
    if (end > start) out.push({ text: text.slice(start, end), marked: true });
    at = Math.max(at, end);
  });
  if (at < text.length) out.push({ text: text.slice(at), marked: false });
  return out;
};

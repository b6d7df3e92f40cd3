// Live queue: adds decided comments as they arrive. Comment text is untrusted, so every value
// goes in with textContent, never innerHTML. After a reconnect the recent list is re-fetched.
(function () {
  'use strict';
  var tbody = document.getElementById('live-items');
  var status = document.getElementById('live-status');
  if (!tbody) return;

  var OUTCOMES = {
    hide: ['Hidden', 'govuk-tag--red'],
    officer_review: ['Needs an officer', 'govuk-tag--yellow'],
    none: ['No action', 'govuk-tag--grey'],
  };

  var CATEGORIES = { threat: 'Threat', hate: 'Hate', abuse: 'Abuse or harassment', doxxing: 'Personal details', selfharm: 'Self-harm risk', profanity: 'Profanity' };

  var segments = window.appMarkedSegments;

  function cell(row, text) {
    var td = document.createElement('td');
    td.className = 'govuk-table__cell';
    if (text !== undefined) td.textContent = text;
    row.appendChild(td);
    return td;
  }

  function render(item) {
    var row = document.createElement('tr');
    row.className = 'govuk-table__row';
    row.dataset.id = item.id;
    var when = document.createElement('time');
    when.dateTime = item.capturedAt;
    when.textContent = new Date(item.capturedAt).toLocaleString('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium', timeStyle: 'short' });
    cell(row).appendChild(when);
    cell(row, item.platform);
    var author = cell(row, item.author.displayName || item.author.handle || item.author.accountId);
    if (item.author.handle) {
      author.appendChild(document.createElement('br'));
      var h = document.createElement('span');
      h.className = 'govuk-hint';
      h.textContent = '@' + item.author.handle;
      author.appendChild(h);
    }
    var text = cell(row);
    text.classList.add('app-comment-text');
    var spans = [];
    (item.flags || []).forEach(function (f) { spans = spans.concat(f.spans); });
    segments(item.text, spans).forEach(function (s) {
      if (s.marked) {
        var m = document.createElement('mark');
        m.textContent = s.text;
        text.appendChild(m);
      } else text.appendChild(document.createTextNode(s.text));
    });
    var decision = cell(row);
    var o = OUTCOMES[item.decision.outcome] || OUTCOMES.none;
    var tag = document.createElement('strong');
    tag.className = 'govuk-tag ' + o[1];
    tag.textContent = o[0];
    decision.appendChild(tag);
    (item.flags || []).forEach(function (f) {
      var b = document.createElement('strong');
      b.className = 'govuk-tag govuk-tag--orange app-flag';
      b.dataset.category = f.category;
      b.textContent = CATEGORIES[f.category] || f.category;
      decision.appendChild(b);
    });
    item.decision.reasons.forEach(function (r) {
      var p = document.createElement('p');
      p.className = 'govuk-body-s';
      p.textContent = r.detail;
      decision.appendChild(p);
    });
    return row;
  }

  function add(item, highlight) {
    if (tbody.querySelector('tr[data-id="' + CSS.escape(item.id) + '"]')) return;
    var row = render(item);
    if (highlight) row.classList.add('app-new-item');
    tbody.insertBefore(row, tbody.firstChild);
    var empty = document.getElementById('live-empty');
    if (empty) empty.remove();
    while (tbody.children.length > 200) tbody.removeChild(tbody.lastChild);
  }

  function setStatus(text, cls) {
    status.textContent = text;
    status.className = 'govuk-tag ' + cls;
  }

  function refetch() {
    fetch('/api/comments/recent?limit=50', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (body) { body.items.slice().reverse().forEach(function (i) { add(i, false); }); });
  }

  var socket = io({ transports: ['websocket', 'polling'] });
  var connectedBefore = false;
  socket.on('connect', function () {
    setStatus('Live', 'govuk-tag--green');
    if (connectedBefore) refetch();
    connectedBefore = true;
  });
  socket.on('disconnect', function () { setStatus('Reconnecting…', 'govuk-tag--yellow'); });
  socket.on('unauthorised', function (m) { setStatus(m.error, 'govuk-tag--red'); });
  socket.on('comment.decided', function (item) { add(item, true); });
})();

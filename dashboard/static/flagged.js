// Flagged page: adds newly flagged comments as they arrive (text via textContent only: comment
// text is untrusted), and re-fetches nothing on reconnect beyond a reload prompt.
(function () {
  'use strict';
  var list = document.getElementById('live-items');
  var status = document.getElementById('live-status');
  if (!list) return;
  var only = list.dataset.category;
  var csrf = list.dataset.csrf;
  var canAct = list.dataset.canAct === 'yes';
  var CATEGORIES = { threat: 'Threat', hate: 'Hate', abuse: 'Abuse or harassment', doxxing: 'Personal details', selfharm: 'Self-harm risk', profanity: 'Profanity' };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  var segments = window.appMarkedSegments;

  function card(item) {
    var c = el('div', 'govuk-summary-card app-flagged-item app-new-item');
    c.dataset.id = item.id;
    var head = el('div', 'govuk-summary-card__title-wrapper');
    head.appendChild(el('h2', 'govuk-summary-card__title', (item.author.displayName || item.author.handle || item.author.accountId) + ' on ' + item.platform));
    c.appendChild(head);
    var body = el('div', 'govuk-summary-card__content');
    var p = el('p', 'govuk-body app-comment-text');
    var spans = [];
    item.flags.forEach(function (f) { spans = spans.concat(f.spans); });
    segments(item.text, spans).forEach(function (s) {
      if (s.marked) p.appendChild(el('mark', '', s.text));
      else p.appendChild(document.createTextNode(s.text));
    });
    body.appendChild(p);
    item.flags.forEach(function (f) {
      var row = el('p', 'govuk-body');
      var tag = el('strong', 'govuk-tag govuk-tag--orange app-flag', CATEGORIES[f.category] || f.category);
      tag.dataset.category = f.category;
      row.appendChild(tag);
      row.appendChild(document.createTextNode(' ' + f.reason));
      body.appendChild(row);
    });
    if (canAct) {
      var group = el('div', 'govuk-button-group');
      var form = el('form');
      form.method = 'post';
      form.action = '/flagged/' + encodeURIComponent(item.id) + '/hide';
      var token = el('input');
      token.type = 'hidden';
      token.name = '_csrf';
      token.value = csrf;
      form.appendChild(token);
      form.appendChild(el('button', 'govuk-button govuk-button--warning', 'Hide'));
      group.appendChild(form);
      var dismiss = el('a', 'govuk-link', 'Dismiss');
      dismiss.href = '/flagged/' + encodeURIComponent(item.id) + '/dismiss';
      group.appendChild(dismiss);
      body.appendChild(group);
    }
    c.appendChild(body);
    return c;
  }

  var socket = io({ transports: ['websocket', 'polling'] });
  socket.on('connect', function () { status.textContent = 'Live'; status.className = 'govuk-tag govuk-tag--green'; });
  socket.on('disconnect', function () { status.textContent = 'Reconnecting… reload to see anything missed'; status.className = 'govuk-tag govuk-tag--yellow'; });
  socket.on('comment.decided', function (item) {
    if (!item.flags || !item.flags.length) return;
    if (only && !item.flags.some(function (f) { return f.category === only; })) return;
    if (list.querySelector('[data-id="' + CSS.escape(item.id) + '"]')) return;
    list.insertBefore(card(item), list.firstChild);
    var empty = document.getElementById('live-empty');
    if (empty) empty.remove();
  });
})();

/* The people pickers (coalition/picker): each server-rendered select + "Find" becomes an
   accessible-autocomplete box fed by the chapter's search; the form still sends the id. */
(function () {
  'use strict';
  if (typeof window.accessibleAutocomplete !== 'function') return;

  function html(s) {
    var d = document.createElement('div');
    d.textContent = s || '';
    return d.innerHTML;
  }

  function enhance(box) {
    var select = box.querySelector('select');
    if (!select) return;
    var chosen = select.options[select.selectedIndex];
    // A name typed but not chosen, refused by the server: shown again, and refused again
    // if sent unchanged (never saved as nobody).
    var typed = box.getAttribute('data-picker-typed');
    var id = select.id;
    var describedBy = select.getAttribute('aria-describedby');
    var invalid = select.getAttribute('aria-invalid');
    var hidden = document.createElement('input');
    hidden.type = 'hidden';
    hidden.name = select.name;
    hidden.value = typed ? 'typed:' + typed : select.value;
    var mount = document.createElement('div');
    mount.className = 'picker-box';
    box.insertBefore(mount, select);
    box.insertBefore(hidden, select);
    select.remove();
    box.querySelectorAll('.picker-find, .picker-found').forEach(function (el) { el.remove(); });

    var url = box.getAttribute('data-picker-url');
    var timer = null;
    var asked = 0;
    window.accessibleAutocomplete({
      element: mount,
      id: id,
      defaultValue: typed || (chosen && chosen.value ? chosen.textContent : ''),
      minLength: 1,
      displayMenu: 'overlay',
      showNoOptionsFound: true,
      tNoResults: function () { return 'Nobody matches: try fewer letters'; },
      tStatusQueryTooShort: function () { return 'Type a few letters of the name'; },
      source: function (query, populate) {
        // A short pause, so one request goes out per word rather than per letter.
        clearTimeout(timer);
        timer = setTimeout(function () {
          var mine = ++asked;
          fetch(url + '?q=' + encodeURIComponent(query), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
            .then(function (r) { return r.ok ? r.json() : { results: [] }; })
            .then(function (data) { if (mine === asked) populate(data.results); })
            .catch(function () { if (mine === asked) populate([]); });
        }, 120);
      },
      templates: {
        inputValue: function (m) { return m && typeof m === 'object' ? m.label : (m || ''); },
        suggestion: function (m) {
          if (!m || typeof m !== 'object') return html(m);
          return html(m.label) + (m.hint ? ' <span class="picker-hint">' + html(m.hint) + '</span>' : '');
        }
      },
      onConfirm: function (m) { if (m && typeof m === 'object') hidden.value = m.value; }
    });
    var input = document.getElementById(id);
    if (!input) return;
    if (describedBy) {
      input.setAttribute('aria-describedby', ((input.getAttribute('aria-describedby') || '') + ' ' + describedBy).trim());
    }
    if (invalid) input.setAttribute('aria-invalid', invalid);
    // Typing un-chooses: a name typed but not chosen from the list is refused by the server
    // ("choose someone from the list") instead of being saved as nobody.
    input.addEventListener('input', function () {
      hidden.value = input.value.trim() ? 'typed:' + input.value.trim() : '';
    });
  }

  // A page that lists a few choices (a person's own relationships) keeps its plain select.
  document.querySelectorAll('.picker[data-picker-url]:not([data-picker-offered])').forEach(enhance);
})();

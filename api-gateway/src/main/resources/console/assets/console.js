// The console's only script besides htmx (loaded as a file: the Content-Security-Policy allows no inline script).
// Confirmations that say how many: a button's data-confirm text gets [n] replaced by its data-count, or else by the
// number of dead letters ticked; with none ticked it says so instead of sending an empty action.
document.addEventListener('htmx:confirm', function (event) {
  var button = event.detail.elt;
  var text = button.getAttribute('data-confirm');
  if (!text) {
    return;
  }
  event.preventDefault();
  var count = button.getAttribute('data-count');
  if (count === null) {
    var form = button.closest('form');
    count = form ? form.querySelectorAll('input[name=ids]:checked').length : 0;
    if (count === 0) {
      var notice = document.getElementById('notice');
      notice.innerHTML = '';
      var p = document.createElement('p');
      p.className = 'notice error';
      p.setAttribute('role', 'alert');
      p.textContent = 'Select at least one dead letter first.';
      notice.appendChild(p);
      return;
    }
  }
  if (window.confirm(text.replace('[n]', String(count)))) {
    event.detail.issueRequest(true);
  }
});

// "Select all listed" ticks or unticks every row's box.
document.addEventListener('change', function (event) {
  if (event.target.matches('[data-select-all]')) {
    document.querySelectorAll('input[name=ids]').forEach(function (box) {
      box.checked = event.target.checked;
    });
  }
});

// A live region that lost its sign-in answers with the sign-in page: go there instead of showing it inside a table.
document.addEventListener('htmx:beforeSwap', function (event) {
  var xhr = event.detail.xhr;
  if (xhr && xhr.responseURL && xhr.responseURL.indexOf('/console/login') >= 0 && event.detail.requestConfig.verb === 'get') {
    event.detail.shouldSwap = false;
    window.location.assign('/console/login?next=' + encodeURIComponent(window.location.pathname + window.location.search));
  }
});

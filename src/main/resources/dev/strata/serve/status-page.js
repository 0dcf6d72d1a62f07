// The status page's only script (inlined under the response's CSP nonce): every 10 s it asks
// /status.json whether anything the page shows has changed (the fingerprint) and, if so, reloads
// the page, which the server draws again. No framework, no external asset.
(function () {
  'use strict';
  var body = document.body;
  var shown = body.getAttribute('data-fingerprint');
  var note = document.getElementById('refreshed');
  var problem = document.getElementById('refresh-error');
  function check() {
    fetch('/status.json', {credentials: 'same-origin', cache: 'no-store', headers: {'Accept': 'application/json'}})
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          location.reload();
          throw new Error('signed out');
        }
        return response.json();
      })
      .then(function (status) {
        if (status.fingerprint && status.fingerprint !== shown) {
          location.reload();
          return;
        }
        note.textContent = 'checked ' + new Date().toLocaleTimeString() + ', no change';
        problem.hidden = true;
      })
      .catch(function (error) {
        problem.textContent = 'refresh failed: ' + error.message;
        problem.hidden = false;
      });
  }
  setInterval(check, 10000);
  body.setAttribute('data-script', 'ready');
}());

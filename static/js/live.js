// U8: live progress on every page, by server-sent events from /events. Without JavaScript the page
// still shows the state as of its load. No framework: swap server-rendered HTML, update badges.
(function () {
  'use strict';
  if (!window.EventSource) {
    return;
  }
  var shown = Array.prototype.map.call(document.querySelectorAll('[data-module-status]'),
    function (el) { return el.getAttribute('data-module-status'); });
  var unique = shown.filter(function (name, i) { return shown.indexOf(name) === i; }).slice(0, 200);
  var url = '/events?modules=' + encodeURIComponent(unique.join(','));
  var source = null;
  var lastStamp = null;
  var refreshing = false;

  function swap(id, html) {
    var current = document.getElementById(id);
    if (!current || !html) {
      return;
    }
    var holder = document.createElement('div');
    holder.innerHTML = html.trim();
    var next = holder.firstElementChild;
    // Forms rendered for every page at once carry no CSRF token: give them this page's.
    var token = document.querySelector('meta[name="csrf-token"]');
    if (next && token) {
      next.querySelectorAll('input[name="csrf"]').forEach(function (input) {
        if (!input.value) { input.value = token.getAttribute('content'); }
      });
    }
    if (next && current.outerHTML !== next.outerHTML) {
      current.replaceWith(next);
    }
  }

  function updateBadges(statuses) {
    Object.keys(statuses || {}).forEach(function (name) {
      var status = statuses[name];
      document.querySelectorAll('[data-module-status]').forEach(function (el) {
        if (el.getAttribute('data-module-status') === name) {
          el.className = 'badge ' + status.badge;
          el.textContent = status.label;
        }
      });
    });
  }

  // Regions of the page that show more than the banner (a run's groups, the current run) are
  // re-rendered by the server: fetch the same page with ?fragment=NAME and swap them in.
  function refreshRegions() {
    var regions = document.querySelectorAll('[data-live-fragment]');
    if (refreshing || regions.length === 0) {
      return;
    }
    refreshing = true;
    var pending = regions.length;
    regions.forEach(function (region) {
      var url = new URL(window.location.href);
      url.searchParams.set('fragment', region.getAttribute('data-live-fragment'));
      fetch(url.toString(), { credentials: 'same-origin', headers: { 'X-Requested-With': 'live' } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) { if (html) { swap(region.id, html); } })
        .catch(function () { /* the next event tries again */ })
        .finally(function () { if (--pending === 0) { refreshing = false; } });
    });
  }

  function onProgress(event) {
    var update = JSON.parse(event.data);
    swap('banner', update.banner);
    swap('sidebar-status', update.sidebar);
    updateBadges(update.statuses);
    if (lastStamp !== null && lastStamp !== update.stamp) {
      refreshRegions();
    }
    lastStamp = update.stamp;
    document.body.setAttribute('data-live-stamp', String(update.stamp));
  }

  // A browser keeps only a few connections per server: close the stream when the page is left (or
  // kept in the back-forward cache), open it again when the page is shown.
  function connect() {
    if (!source) {
      source = new EventSource(url);
      source.addEventListener('progress', onProgress);
    }
  }
  window.addEventListener('pagehide', function () {
    if (source) {
      source.close();
      source = null;
    }
  });
  window.addEventListener('pageshow', connect);
  connect();
})();

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
  // The moment the page shows (see Pages#model): an update of another moment refreshes it.
  var lastStamp = document.body.getAttribute('data-page-stamp');
  var refreshing = false;
  var again = false;
  var FOCUSABLE = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';

  // Replaces an element (or the one with this id) by the same element rendered afresh, unless it is unchanged.
  function swap(element, html) {
    var current = typeof element === 'string' ? document.getElementById(element) : element;
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
        // As an attribute, so that a region that did not change compares equal and is left alone.
        if (!input.value) { input.setAttribute('value', token.getAttribute('content')); }
      });
    }
    if (next && current.outerHTML !== next.outerHTML) {
      var refocus = focusedWithin(current);
      current.replaceWith(next);
      if (refocus) {
        refocus(next);
      }
    }
  }

  // A swapped region must not take the focus away (WCAG 2.4.3): if it held the focus, give it to the same
  // element in the new region (by id, else by position), without scrolling.
  function focusedWithin(region) {
    var focused = document.activeElement;
    if (!focused || focused === document.body || !region.contains(focused)) {
      return null;
    }
    var id = focused.id;
    var index = Array.prototype.indexOf.call(region.querySelectorAll(FOCUSABLE), focused);
    return function (next) {
      var same = id ? document.getElementById(id) : null;
      if (!same || !next.contains(same)) {
        var all = next.querySelectorAll(FOCUSABLE);
        same = all.length ? all[Math.min(Math.max(index, 0), all.length - 1)] : null;
      }
      if (same) {
        same.focus({ preventScroll: true });
      }
    };
  }

  // What a screen reader is told (the #live-announcer status region): a group done, a run ended; not
  // every count, which the page shows for whoever looks.
  function bannerState() {
    var banner = document.querySelector('#banner [data-banner]');
    return banner === null ? null : {
      state: banner.getAttribute('data-banner'),
      run: banner.getAttribute('data-run'),
      group: banner.getAttribute('data-group'),
      groups: banner.getAttribute('data-groups'),
      prepared: banner.getAttribute('data-prepared'),
      total: banner.getAttribute('data-total'),
      announce: banner.getAttribute('data-announce')
    };
  }

  function announcement(before, after) {
    if (!before || before.state !== 'running' || !after || after.run !== before.run) {
      return null;
    }
    if (after.state !== 'running') {
      return after.announce;
    }
    if (before.group && after.group !== before.group) {
      return 'Group ' + before.group + ' of ' + after.groups + ' done: ' + after.prepared + ' of ' + after.total + ' modules prepared.';
    }
    return null;
  }

  function announce(text) {
    var region = document.getElementById('live-announcer');
    if (region && text) {
      region.textContent = text;
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

  // Regions of the page that show more than the banner (a run's groups, the current run) are re-rendered by
  // the server: the same page is fetched again, and its regions, banner and sidebar are swapped in together,
  // so that they show one moment (the server renders a page from one stamp). An update that arrives while
  // a fetch is under way is followed by one more fetch, so the page ends at the latest moment.
  function refreshPage() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    again = false;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'X-Requested-With': 'live' } })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) { if (html) { showPage(new DOMParser().parseFromString(html, 'text/html')); } })
      .catch(function () { /* the next event tries again */ })
      .finally(function () {
        refreshing = false;
        if (again) {
          refreshPage();
        }
      });
  }

  function showPage(page) {
    var stamp = page.body.getAttribute('data-page-stamp');
    if (stamp === null) {
      return; // not a console page (signed out meanwhile): the event stream says so and reloads
    }
    var before = bannerState();
    ['banner', 'sidebar-status'].forEach(function (id) {
      var next = page.getElementById(id);
      swap(id, next && next.outerHTML);
    });
    regions().forEach(function (region) {
      var next = page.querySelector('[data-live-fragment="' + region.getAttribute('data-live-fragment') + '"]');
      if (next) {
        swap(region, next.outerHTML);
      }
    });
    // Badges outside the regions (a module's status in a list) as the page shows them.
    var fresh = {};
    page.querySelectorAll('[data-module-status]').forEach(function (badge) {
      fresh[badge.getAttribute('data-module-status')] = { badge: badge.className.replace(/^badge /, ''), label: badge.textContent };
    });
    updateBadges(fresh);
    var version = page.querySelector('[data-platform-version]');
    showVersion(version && version.textContent);
    announce(announcement(before, bannerState()));
    lastStamp = stamp;
  }

  // The platform version, wherever the page names it outside its regions (the navigation bar, a column's heading).
  function showVersion(version) {
    if (version) {
      document.querySelectorAll('[data-platform-version]').forEach(function (el) {
        if (el.textContent !== version) { el.textContent = version; }
      });
    }
  }

  function regions() {
    return Array.prototype.slice.call(document.querySelectorAll('[data-live-fragment]'));
  }

  function onProgress(event) {
    var update = JSON.parse(event.data);
    var stamp = String(update.stamp);
    if (lastStamp !== stamp) {
      if (regions().length > 0) {
        refreshPage(); // the banner comes with the regions, from the same moment
      } else {
        var before = bannerState();
        swap('banner', update.banner);
        announce(announcement(before, bannerState()));
        swap('sidebar-status', update.sidebar);
        updateBadges(update.statuses);
        showVersion(update.version);
        lastStamp = stamp;
      }
    }
    document.body.setAttribute('data-live-stamp', stamp);
  }

  // A browser keeps only a few connections per server: close the stream when the page is left (or
  // kept in the back-forward cache), open it again when the page is shown.
  function connect() {
    if (!source) {
      source = new EventSource(url);
      source.addEventListener('progress', onProgress);
      // The user opened more live pages than the server keeps: this one, the oldest, stops (no reconnect).
      source.addEventListener('superseded', disconnect);
      // Signed out (here or in another tab), or this user's access ended: the reload shows the sign-in page.
      source.addEventListener('ended', function () {
        disconnect();
        window.location.reload();
      });
    }
  }
  function disconnect() {
    if (source) {
      source.close();
      source = null;
    }
  }
  window.addEventListener('pagehide', disconnect);
  // A form sent leaves the page: no more updates meanwhile, whose region requests would take the flash
  // message of the action from the session before the page that shows it.
  document.addEventListener('submit', disconnect);
  window.addEventListener('pageshow', connect);
  connect();
})();

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
  // so that they show one moment (the server renders a page from one stamp). An update that arrives during
  // a fetch is followed by one more fetch if the page does not show its moment; a fetch that fails (the
  // server busy, the page gone) shows the update's own banner and sidebar, so that these never stay behind.
  var latest = null;
  var again = false;

  function refreshPage() {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    again = false;
    fetch(window.location.href, { credentials: 'same-origin', headers: { 'X-Requested-With': 'live' } })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) {
        var page = html ? new DOMParser().parseFromString(html, 'text/html') : null;
        if (!page || page.body.getAttribute('data-page-stamp') === null) {
          throw new Error('not a console page'); // signed out meanwhile, gone, or the server busy
        }
        showPage(page);
      })
      .catch(function () { show(latest); })
      .finally(function () {
        refreshing = false;
        if (again && lastStamp !== String(latest.stamp)) {
          refreshPage();
        }
      });
  }

  function showPage(page) {
    regions().forEach(function (region) {
      var next = page.querySelector('[data-live-fragment="' + region.getAttribute('data-live-fragment') + '"]');
      if (next) {
        swap(region, next.outerHTML);
      }
    });
    var statuses = {};
    page.querySelectorAll('[data-module-status]').forEach(function (badge) {
      statuses[badge.getAttribute('data-module-status')] = { badge: badge.className.replace(/^badge /, ''), label: badge.textContent };
    });
    var banner = page.getElementById('banner');
    var sidebar = page.getElementById('sidebar-status');
    var version = page.querySelector('[data-platform-version]');
    show({ banner: banner && banner.outerHTML, sidebar: sidebar && sidebar.outerHTML, statuses: statuses,
      version: version && version.textContent, stamp: page.body.getAttribute('data-page-stamp') });
  }

  // What every page shows of a moment: the banner (and what a screen reader is told of it), the sidebar,
  // the module badges outside the regions and the platform version.
  function show(moment) {
    var before = bannerState();
    swap('banner', moment.banner);
    announce(announcement(before, bannerState()));
    swap('sidebar-status', moment.sidebar);
    updateBadges(moment.statuses);
    showVersion(moment.version);
    lastStamp = String(moment.stamp);
    document.body.setAttribute('data-live-stamp', lastStamp);
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
    latest = JSON.parse(event.data);
    if (lastStamp === String(latest.stamp)) {
      document.body.setAttribute('data-live-stamp', lastStamp);
    } else if (regions().length > 0) {
      refreshPage(); // the banner comes with the regions, from the same moment
    } else {
      show(latest);
    }
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
  // A form sent leaves the page: no more updates meanwhile.
  document.addEventListener('submit', disconnect);
  window.addEventListener('pageshow', connect);
  connect();
})();

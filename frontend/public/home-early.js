// Home's own first requests, asked while the app's scripts load.
//
// index.html already preloads the session for every screen. On home ("/")
// this script, small and async, also preloads the requests home makes the
// moment it renders, none of which needs to know who is signed in: the
// app's own fetch of the same URL (same mode and credentials, see
// src/app/sessionPreload.test.ts) then takes the answer instead of asking
// after the scripts have run. Each URL here must be one home asks for
// (src/features/home/homeEarly.test.ts checks it), or the browser fetches
// it for nothing. docs/performance.md, "Home's requests with the page".
(function () {
  'use strict';
  if (location.pathname !== '/') return;
  var urls = [
    '/api/v1/knowledge/confirmations/pending',
    '/api/v1/announcements?limit=50',
    '/api/v1/agenda?days=2',
    '/api/v1/audits/mine',
    '/api/v1/knowledge/meta',
    '/api/v1/spaces',
  ];
  for (var i = 0; i < urls.length; i++) {
    var link = document.createElement('link');
    link.rel = 'preload';
    link.as = 'fetch';
    link.crossOrigin = 'anonymous';
    link.href = urls[i];
    document.head.appendChild(link);
  }
})();

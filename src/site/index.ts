import {registerRoot} from 'remotion';
import {Root} from './root';

// Before any user code runs: connections (fetch, XHR, EventSource, WebSocket) may only use http(s)
// and data/blob URLs, which the worker's request guard checks, or this page's own server.
// WebSockets are beyond the guard's reach, so they are held to 'self' here.
const policy = document.createElement('meta');
policy.httpEquiv = 'Content-Security-Policy';
policy.content = "connect-src 'self' http: https: data: blob:";
document.head.prepend(policy);

registerRoot(Root);

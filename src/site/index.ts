import {cancelRender, delayRender, registerRoot} from 'remotion';
import {Root} from './root';

// Before any user code runs: connections (fetch, XHR, EventSource, WebSocket) may only use http(s)
// and data/blob URLs, which the worker's request guard checks, or this page's own server.
// WebSockets are beyond the guard's reach, so they are held to 'self' here.
const policy = document.createElement('meta');
policy.httpEquiv = 'Content-Security-Policy';
policy.content = "connect-src 'self' http: https: data: blob:";
document.head.prepend(policy);

// An exception in user code reaches Remotion only as a page error event, which can arrive after
// the last frame of a chunk was captured and encoded: the render would succeed without it.
// Holding the frame open and cancelling fails the frame that threw, with the user's own error.
// (Error events without an error, such as ResizeObserver's loop notices, are not exceptions.)
window.addEventListener('error', (event) => {
	if (event.error !== null && event.error !== undefined) {
		delayRender('An exception was thrown');
		cancelRender(event.error);
	}
});

registerRoot(Root);

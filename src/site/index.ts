import {cancelRender, delayRender, registerRoot} from 'remotion';
import {Root} from './root';

// Before any user code runs: connections (fetch, XHR, EventSource, WebSocket) may only use http(s)
// and data/blob URLs, which the worker's request guard checks, or this page's own server.
// WebSockets are beyond the guard's reach, so they are held to 'self' here.
const policy = document.createElement('meta');
policy.httpEquiv = 'Content-Security-Policy';
policy.content = "connect-src 'self' http: https: data: blob:";
document.head.prepend(policy);

// Remotion learns of an uncaught exception from a page error event. One thrown while the page is
// set up at a chunk's first frame went unnoticed now and then, and the chunk came out blank.
// Holding the frame open and cancelling fails the frame that threw, with the user's own error.
// (Error events without an error, such as ResizeObserver's loop notices, are not exceptions.)
window.addEventListener('error', (event) => {
	if (event.error !== null && event.error !== undefined) {
		delayRender('An exception was thrown');
		cancelRender(event.error);
	}
});

registerRoot(Root);

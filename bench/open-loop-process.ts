import {API_NICE, setThreadNice, setThreadRealtime} from '../src/worker/thread-priority.js';
import {openLoop, type OpenLoopArgs} from './open-loop.js';

// The load generator as a process of its own (bench/load.ts starts it): argv[2] is the JSON of
// openLoop's arguments; the result is written to stdout as JSON.
const {target, route, load} = JSON.parse(process.argv[2]!) as OpenLoopArgs;
// At the API thread's priority (serve takes the real-time class where it may), so that it does not
// send late behind the farm's browsers.
if (!setThreadRealtime()) {
	setThreadNice(API_NICE);
}
process.stdout.write(JSON.stringify(await openLoop(target, route, load)));

import Hls from 'hls.js';
import {useEffect, useMemo, useRef, useState} from 'react';

// How often a held player looks at the clock.
const HOLD_TICK_MS = 250;

type LivePlayerProps = {
	liveUrl: string | null;
	outputUrl: string | null;
	/** The progress object's livePlaysThroughAt and currentTime: when playing from the start will not wait for the render, on the server's clock. */
	playsThroughAt: number | null;
	serverNow: number;
};

/**
 * The render's video: its live stream (HLS, through hls.js where the browser has no HLS of its
 * own) while it renders, then the finished MP4 at the same position, playing on if it played.
 * Both URLs are signed afresh in every progress object: the player keeps the first of each.
 *
 * The live stream shows its first picture as soon as it has one, then holds it until the render
 * is expected to stay ahead of a viewer at 1x (livePlaysThroughAt): playing at once, a viewer
 * would see the short first chunks and then wait for the longer ones. Pressing play starts it
 * at once.
 */
export const LivePlayer = ({liveUrl, outputUrl, playsThroughAt, serverNow}: LivePlayerProps) => {
	const video = useRef<HTMLVideoElement>(null);
	const [live] = useState(liveUrl);
	const [output, setOutput] = useState(outputUrl);
	const resume = useRef<{at: number; playing: boolean} | null>(null);
	const source = output !== null ? 'output' : live !== null ? 'live' : null;
	// 'first': no picture yet; 'held': first picture shown, waiting for startAt; 'open': playing is the viewer's.
	const [gate, setGate] = useState<'first' | 'held' | 'open'>('first');
	// When to start, on this browser's clock (taken when the progress came); null: not known yet.
	const startAt = useMemo(() => (playsThroughAt === null ? null : Date.now() + (playsThroughAt - serverNow)), [playsThroughAt, serverNow]);
	const [now, setNow] = useState(Date.now());

	useEffect(() => {
		const element = video.current;
		if (output === null && outputUrl !== null) {
			// A player still holding was going to play: the MP4 plays.
			resume.current = element === null ? null : {at: element.currentTime, playing: !element.paused || gate === 'held'};
			setOutput(outputUrl);
		}
	}, [output, outputUrl, gate]);

	// The first picture: shown by autoplay (see below), held there unless the render is ahead.
	useEffect(() => {
		const element = video.current;
		if (element === null || source !== 'live' || gate !== 'first') {
			return;
		}
		const shown = () => {
			if (startAt !== null && Date.now() >= startAt) {
				setGate('open');
			} else {
				element.pause();
				setGate('held');
			}
		};
		const handle = element.requestVideoFrameCallback(shown);
		return () => element.cancelVideoFrameCallback(handle);
	}, [source, gate, startAt]);

	useEffect(() => {
		const element = video.current;
		if (element === null || gate !== 'held') {
			return;
		}
		// Play pressed while held: the viewer's choice.
		const played = () => setGate('open');
		element.addEventListener('play', played);
		const tick = setInterval(() => {
			setNow(Date.now());
			if (startAt !== null && Date.now() >= startAt) {
				void element.play().catch(() => undefined);
			}
		}, HOLD_TICK_MS);
		return () => {
			element.removeEventListener('play', played);
			clearInterval(tick);
		};
	}, [gate, startAt]);

	useEffect(() => {
		const element = video.current;
		if (element === null || source !== 'live' || live === null) {
			return;
		}
		if (!Hls.isSupported()) {
			element.src = live;
			return;
		}
		const hls = new Hls({startPosition: 0});
		// A render queued for long leaves its playlist empty past hls.js's retries, and a server
		// restarting or a network drop fails its loads: load again, as hls.js's guide recovers fatal
		// errors, for as long as the render runs. startLoad() goes on from a playlist hls.js has; one
		// it never got (its first loads failed) must be asked for again.
		let retry: ReturnType<typeof setTimeout> | undefined;
		hls.on(Hls.Events.ERROR, (_event, data) => {
			if (!data.fatal) {
				return;
			}
			if (data.type === Hls.ErrorTypes.MEDIA_ERROR) {
				hls.recoverMediaError();
			} else {
				retry = setTimeout(() => (hls.levels.length === 0 ? hls.loadSource(live) : hls.startLoad()), 1000);
			}
		});
		hls.loadSource(live);
		hls.attachMedia(element);
		return () => {
			clearTimeout(retry);
			hls.destroy();
		};
	}, [source, live]);

	useEffect(() => {
		const element = video.current;
		if (element === null || output === null) {
			return;
		}
		const from = resume.current;
		element.src = output;
		if (from !== null) {
			element.addEventListener(
				'loadedmetadata',
				() => {
					element.currentTime = Math.min(from.at, element.duration || from.at);
					if (from.playing) {
						void element.play().catch(() => undefined);
					}
				},
				{once: true},
			);
		}
	}, [output]);

	if (source === null) {
		return null;
	}
	return (
		<>
			{/* Muted, so that the live stream may start by itself; the controls unmute it. */}
			<video ref={video} data-source={source} data-gate={gate} controls playsInline muted autoPlay={source === 'live'} preload="metadata" />
			{source === 'live' ? <span className="muted live-caption">{caption(gate, startAt, now)}</span> : null}
		</>
	);
};

const caption = (gate: 'first' | 'held' | 'open', startAt: number | null, now: number): string => {
	if (gate === 'first') {
		return 'Live: the first frames are on their way';
	}
	if (gate === 'open') {
		return 'Live: playing what is rendered so far';
	}
	return startAt === null
		? 'Live: the first picture; it plays once the render is ahead of it'
		: `Live: plays from the start in ${Math.max(1, Math.ceil((startAt - now) / 1000))} s, when the render will keep ahead of it (or press play)`;
};

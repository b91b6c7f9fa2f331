import Hls from 'hls.js';
import {useEffect, useRef, useState} from 'react';

/**
 * The render's video: its live stream (HLS, through hls.js where the browser has no HLS of its
 * own) while it renders, then the finished MP4 at the same position, playing on if it played.
 * Both URLs are signed afresh in every progress object: the player keeps the first of each.
 */
export const LivePlayer = ({liveUrl, outputUrl}: {liveUrl: string | null; outputUrl: string | null}) => {
	const video = useRef<HTMLVideoElement>(null);
	const [live] = useState(liveUrl);
	const [output, setOutput] = useState(outputUrl);
	const resume = useRef<{at: number; playing: boolean} | null>(null);
	const source = output !== null ? 'output' : live !== null ? 'live' : null;

	useEffect(() => {
		const element = video.current;
		if (output === null && outputUrl !== null) {
			resume.current = element === null ? null : {at: element.currentTime, playing: !element.paused};
			setOutput(outputUrl);
		}
	}, [output, outputUrl]);

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
	// Muted, so that the live stream may start by itself; the controls unmute it.
	return <video ref={video} data-source={source} controls playsInline muted autoPlay={source === 'live'} preload="metadata" />;
};

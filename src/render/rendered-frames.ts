import type {RenderJob} from '../backend/render-record.js';

type FramesOfJob = Pick<RenderJob, 'composition' | 'options'>;

/** The frames a job renders, first and last: its frameRange, or the whole composition. */
export const renderedFrameRange = ({composition, options}: FramesOfJob): [number, number] => options.frameRange ?? [0, composition.durationInFrames - 1];

/** How many frames of the composition the job's chunks cover (their plan). */
export const renderedRangeLength = (job: FramesOfJob): number => {
	const [first, last] = renderedFrameRange(job);
	return last - first + 1;
};

/** How many frames the job's output has: every nth frame of its range (everyNthFrame, gif). */
export const renderedFrameCount = (job: FramesOfJob): number => Math.ceil(renderedRangeLength(job) / (job.options.everyNthFrame ?? 1));

/** Attempts a chunk of the job gets: the render's maxRetries or the farm's chunk retries, plus the first. */
export const chunkAttempts = (job: Pick<RenderJob, 'options'>, farmRetries: number): number => (job.options.maxRetries ?? farmRetries) + 1;

import {badRequest} from './http-error.js';

/**
 * Lambda's frameRange (a frame, [first, last] or [first, null]) as the [first, last] a job
 * stores, checked against the composition's length now that it is known; nothing when absent.
 */
export const frameRangeOption = (frameRange: number | [number, number | null] | undefined, durationInFrames: number): {frameRange?: [number, number]} => {
	if (frameRange === undefined) {
		return {};
	}
	const [first, last] = typeof frameRange === 'number' ? [frameRange, frameRange] : [frameRange[0], frameRange[1] ?? durationInFrames - 1];
	if (last < first || last >= durationInFrames) {
		throw badRequest(`frameRange must lie within frames 0-${durationInFrames - 1} of the composition, first before last; got [${first}, ${last}]`);
	}
	return {frameRange: [first, last]};
};

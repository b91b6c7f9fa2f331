import type {ResolvedComposition} from '../backend/render-record.js';
import {HttpError} from './http-error.js';

/** What one API key may ask of this server; each has its own FRAMEFARM_ setting. */
export type SubmitLimits = {
	maxDurationInFrames: number;
	minFps: number;
	maxFps: number;
	maxWidth: number;
	maxHeight: number;
	/** UTF-8 bytes of inputProps.code. */
	maxCodeBytes: number;
	/** Bytes of a request body; Fastify refuses larger ones before parsing. */
	maxBodyBytes: number;
	/** Renders one key may submit per minute (a token bucket: bursts up to this many). */
	submitsPerMinute: number;
	/** Renders of one key that may wait in the queue at once. */
	maxQueuedPerKey: number;
};

export const DEFAULT_SUBMIT_LIMITS: SubmitLimits = {
	maxDurationInFrames: 36_000,
	minFps: 1,
	maxFps: 120,
	maxWidth: 3840,
	maxHeight: 3840,
	maxCodeBytes: 256 * 1024,
	maxBodyBytes: 1024 * 1024,
	submitsPerMinute: 60,
	maxQueuedPerKey: 50,
};

const outOfRange = (field: string, message: string, setting: string) =>
	new HttpError(400, 'limit_exceeded', `${field} ${message} on this server (${setting})`);

/** Code larger than the server takes: a 413 before anything compiles. */
export const checkCodeSize = (code: string, limits: SubmitLimits): void => {
	const codeBytes = Buffer.byteLength(code, 'utf8');
	if (codeBytes > limits.maxCodeBytes) {
		throw new HttpError(413, 'code_too_large', `inputProps.code is ${codeBytes} bytes; this server takes at most ${limits.maxCodeBytes} (FRAMEFARM_MAX_CODE_BYTES)`);
	}
};

type CompositionSize = Pick<ResolvedComposition, 'durationInFrames' | 'fps' | 'width' | 'height'>;

/**
 * The server's own limits, inside the schema's absolute ones, on what a render would render: a
 * 400 naming the field (as the client knows it: `inputProps.fps` of a code render, the
 * composition's `fps` of a site render) and the setting.
 */
export const checkCompositionLimits = (composition: CompositionSize, limits: SubmitLimits, fieldName: (field: keyof CompositionSize) => string): void => {
	const {durationInFrames, fps, width, height} = composition;
	if (durationInFrames > limits.maxDurationInFrames) {
		throw outOfRange(fieldName('durationInFrames'), `must be at most ${limits.maxDurationInFrames}`, 'FRAMEFARM_MAX_DURATION_IN_FRAMES');
	}
	if (fps < limits.minFps || fps > limits.maxFps) {
		throw outOfRange(fieldName('fps'), `must be between ${limits.minFps} and ${limits.maxFps}`, 'FRAMEFARM_MIN_FPS / FRAMEFARM_MAX_FPS');
	}
	if (width > limits.maxWidth) {
		throw outOfRange(fieldName('width'), `must be at most ${limits.maxWidth}`, 'FRAMEFARM_MAX_WIDTH');
	}
	if (height > limits.maxHeight) {
		throw outOfRange(fieldName('height'), `must be at most ${limits.maxHeight}`, 'FRAMEFARM_MAX_HEIGHT');
	}
};

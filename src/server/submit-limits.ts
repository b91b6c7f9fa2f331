import type {z} from 'zod';
import {HttpError} from './http-error.js';
import type {submitBodySchema} from './schemas.js';

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

/**
 * The server's own limits, inside the schema's absolute ones: a 400 naming the field and the
 * setting, or a 413 for code too large to take.
 */
export const checkSubmitLimits = (body: z.output<typeof submitBodySchema>, limits: SubmitLimits): void => {
	const codeBytes = Buffer.byteLength(body.inputProps.code, 'utf8');
	if (codeBytes > limits.maxCodeBytes) {
		throw new HttpError(413, 'code_too_large', `inputProps.code is ${codeBytes} bytes; this server takes at most ${limits.maxCodeBytes} (FRAMEFARM_MAX_CODE_BYTES)`);
	}
	const {durationInFrames, fps} = body.inputProps;
	if (durationInFrames > limits.maxDurationInFrames) {
		throw outOfRange('inputProps.durationInFrames', `must be at most ${limits.maxDurationInFrames}`, 'FRAMEFARM_MAX_DURATION_IN_FRAMES');
	}
	if (fps < limits.minFps || fps > limits.maxFps) {
		throw outOfRange('inputProps.fps', `must be between ${limits.minFps} and ${limits.maxFps}`, 'FRAMEFARM_MIN_FPS / FRAMEFARM_MAX_FPS');
	}
	if (body.width > limits.maxWidth) {
		throw outOfRange('width', `must be at most ${limits.maxWidth}`, 'FRAMEFARM_MAX_WIDTH');
	}
	if (body.height > limits.maxHeight) {
		throw outOfRange('height', `must be at most ${limits.maxHeight}`, 'FRAMEFARM_MAX_HEIGHT');
	}
};

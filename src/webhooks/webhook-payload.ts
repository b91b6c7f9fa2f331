import type {RenderRecord} from '../backend/render-record.js';
import type {RenderProgress} from '../progress/progress-schemas.js';

export type WebhookType = 'success' | 'error' | 'timeout';

type ErrorSummary = {message: string; name: string; stack: string};

/**
 * Remotion Lambda's webhook body (StaticWebhookPayload and the success, error and timeout
 * payloads), from the render's progress object. `errors` is on every type, as the reference
 * lists it: empty on success, whose non-fatal entries are `lambdaErrors`.
 */
export type WebhookPayload = {
	type: WebhookType;
	renderId: string;
	bucketName: string;
	customData: Record<string, unknown> | null;
	errors: ErrorSummary[];
} & (
	| {
			type: 'success';
			outputUrl: string;
			outputFile: string;
			timeToFinish: number;
			costs: RenderProgress['costs'];
			lambdaErrors: RenderProgress['errors'];
	  }
	| {type: 'error' | 'timeout'}
);

// The farm's render deadline is Lambda's function timeout.
const TIMEOUT_ERRORS = new Set(['RenderTimeoutError']);

export const webhookPayload = (render: RenderRecord, progress: RenderProgress): WebhookPayload => {
	const base = {
		renderId: render.id,
		bucketName: progress.bucket,
		customData: render.job.webhook?.customData ?? null,
	};
	const fatal = progress.errors.filter((error) => error.isFatal && error.type !== 'webhook');
	if (render.status === 'done' && progress.outputFile !== null && progress.outKey !== null) {
		return {
			...base,
			type: 'success',
			outputUrl: progress.outputFile,
			outputFile: progress.outKey,
			timeToFinish: progress.timeToFinish ?? 0,
			costs: progress.costs,
			lambdaErrors: progress.errors.filter((error) => error.type !== 'webhook'),
			errors: [],
		};
	}
	const errors = fatal.map(({message, name, stack}) => ({message, name, stack}));
	return {...base, type: fatal.some((error) => TIMEOUT_ERRORS.has(error.name)) ? 'timeout' : 'error', errors};
};

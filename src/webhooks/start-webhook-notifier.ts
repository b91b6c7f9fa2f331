import type {Backend} from '../backend/backend.js';
import type {RenderRecord} from '../backend/render-record.js';
import type {RenderProgress} from '../progress/progress-schemas.js';
import {deliverWebhook, type DeliveryOptions} from './deliver-webhook.js';
import {webhookPayload} from './webhook-payload.js';

const IDLE_POLL_MS = 250;
const MAX_IN_FLIGHT = 16;

export type WebhookNotifier = {stop: () => Promise<void>};

/**
 * Sends the webhooks of renders that succeeded or failed. Each render's webhook is claimed from
 * the backend by one notifier (one per API server) and delivered in the background: a slow or
 * dead receiver never holds up a render, only its own delivery. A delivery that finally fails
 * is recorded in the render's errors with type "webhook".
 */
export const startWebhookNotifier = ({
	backend,
	progressOf,
	delivery = {},
	onDelivery = () => undefined,
}: {
	backend: Backend;
	progressOf: (render: RenderRecord) => Promise<RenderProgress>;
	/** Timeouts and retries; Remotion Lambda's by default. */
	delivery?: Pick<DeliveryOptions, 'timeoutMs' | 'retries' | 'backoffMs'>;
	/** Told how each webhook ended: the metrics. */
	onDelivery?: (outcome: 'delivered' | 'failed') => void;
}): WebhookNotifier => {
	const inFlight = new Set<Promise<void>>();
	let stopped = false;

	const send = async (render: RenderRecord) => {
		const webhook = render.job.webhook;
		if (webhook === null) {
			await backend.completeWebhook(render.id);
			return;
		}
		const payload = webhookPayload(render, await progressOf(render));
		const {delivered, attempts} = await deliverWebhook({
			...delivery,
			url: webhook.url,
			secret: webhook.secret,
			payload,
			onAttempt: ({attempt, status, error, ms}) =>
				void backend
					.appendLog(render.id, `webhook (${payload.type}) attempt ${attempt} to ${webhook.url}: ${error ?? `answered ${status}`} in ${ms} ms`)
					.catch(() => undefined),
		});
		onDelivery(delivered ? 'delivered' : 'failed');
		if (!delivered) {
			const last = attempts.at(-1);
			await backend.addError(render.id, {
				type: 'webhook',
				message: `The ${payload.type} webhook to ${webhook.url} was not delivered after ${attempts.length} attempts: ${last?.error ?? 'no answer'}`,
				name: 'WebhookError',
				stack: '',
				frame: null,
				chunk: null,
				isFatal: false,
				attempt: attempts.length,
				willRetry: false,
				totalAttempts: attempts.length,
				explanation: 'The render itself is not affected; its output stays available.',
			});
		}
		// Not before: a notifier that dies mid-delivery leaves the claim open, and the webhook is sent again.
		await backend.completeWebhook(render.id);
	};

	const loop = (async () => {
		while (!stopped) {
			const render = inFlight.size < MAX_IN_FLIGHT ? await backend.claimWebhook().catch(() => null) : null;
			if (render === null) {
				await new Promise((resolve) => setTimeout(resolve, IDLE_POLL_MS));
				continue;
			}
			const delivery = send(render)
				.catch(() => undefined)
				.finally(() => inFlight.delete(delivery));
			inFlight.add(delivery);
		}
	})();

	return {
		stop: async () => {
			stopped = true;
			await loop;
			await Promise.all(inFlight);
		},
	};
};

import crypto from 'node:crypto';
import type {WebhookPayload} from './webhook-payload.js';

/** `sha512=<hex HMAC-SHA512 of the raw body>`, or NO_SECRET_PROVIDED, as Remotion Lambda signs. */
export const webhookSignature = (body: string, secret: string | null): string =>
	secret === null ? 'NO_SECRET_PROVIDED' : `sha512=${crypto.createHmac('sha512', secret).update(body).digest('hex')}`;

export type DeliveryAttempt = {attempt: number; status: number | null; error: string | null; ms: number};

export type DeliveryOptions = {
	url: string;
	secret: string | null;
	payload: WebhookPayload;
	/** Per attempt; Remotion Lambda waits 5 s. */
	timeoutMs?: number;
	/** Retries after the first attempt; Remotion Lambda makes 2. */
	retries?: number;
	/** Wait before retry n (1-based). */
	backoffMs?: (retry: number) => number;
	onAttempt?: (attempt: DeliveryAttempt) => void;
};

/**
 * POSTs the payload until the receiver answers 2xx, with a timeout per attempt and a growing
 * pause between attempts. Never throws: the result says whether it was delivered.
 */
export const deliverWebhook = async ({
	url,
	secret,
	payload,
	timeoutMs = 5000,
	retries = 2,
	backoffMs = (retry) => 1000 * 2 ** (retry - 1),
	onAttempt,
}: DeliveryOptions): Promise<{delivered: boolean; attempts: DeliveryAttempt[]}> => {
	const body = JSON.stringify(payload);
	const headers = {
		'content-type': 'application/json',
		'user-agent': 'framefarm-webhook',
		'x-remotion-mode': 'production',
		'x-remotion-signature': webhookSignature(body, secret),
		'x-remotion-status': payload.type,
	};
	const attempts: DeliveryAttempt[] = [];
	for (let attempt = 1; attempt <= retries + 1; attempt++) {
		if (attempt > 1) {
			await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt - 1)));
		}
		const startedAt = Date.now();
		let result: DeliveryAttempt;
		try {
			// Redirects are not followed: the target was checked at submit time, a Location was not.
			const response = await fetch(url, {method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs)});
			await response.arrayBuffer().catch(() => undefined);
			result = {attempt, status: response.status, error: response.ok ? null : `answered ${response.status}`, ms: Date.now() - startedAt};
		} catch (err) {
			const timedOut = (err as Error).name === 'TimeoutError';
			result = {attempt, status: null, error: timedOut ? `no answer within ${timeoutMs / 1000} s` : (err as Error).message, ms: Date.now() - startedAt};
		}
		attempts.push(result);
		onAttempt?.(result);
		if (result.error === null) {
			return {delivered: true, attempts};
		}
	}
	return {delivered: false, attempts};
};

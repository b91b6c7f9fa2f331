import {pino, stdSerializers, type Logger} from 'pino';
import pretty from 'pino-pretty';
import type {Config} from '../config/load-config.js';

export type {Logger} from 'pino';

// Wherever a log call passes one of these, pino writes "[redacted]": API keys, webhook secrets,
// the URL secret and bucket credentials never reach a line, even in an error's details.
const REDACTED = [
	'authorization',
	'*.authorization',
	'headers.authorization',
	'req.headers.authorization',
	'apiKey',
	'apiKeys',
	'secret',
	'*.secret',
	'webhook.secret',
	'*.webhook.secret',
	'urlSecret',
	'metricsToken',
	'secretAccessKey',
	'*.secretAccessKey',
];

/** FRAMEFARM_LOG_FORMAT, with 'auto' settled: lines for people on a terminal, JSON elsewhere. */
export const isPretty = ({logFormat}: Pick<Config, 'logFormat'>, destination: {isTTY?: boolean} = process.stdout): boolean =>
	logFormat === 'pretty' || (logFormat === 'auto' && destination.isTTY === true);

const LEVELS = {error: 'error', warn: 'warn', info: 'info', verbose: 'debug'} as const;

/**
 * The process's log: JSON lines (pino's, with `renderId`, `chunk`, `attempt` and `worker` fields
 * where they apply) for log pipelines, or one readable line each on a terminal.
 */
export const createLogger = (
	{logFormat, logLevel}: Pick<Config, 'logFormat' | 'logLevel'>,
	destination: NodeJS.WritableStream & {isTTY?: boolean} = process.stdout,
): Logger => {
	const options = {level: LEVELS[logLevel], redact: {paths: REDACTED, censor: '[redacted]'}, serializers: {err: stdSerializers.err}};
	if (!isPretty({logFormat}, destination)) {
		return pino(options, destination);
	}
	return pino(
		options,
		// In this thread, not a transport's worker: a line is out before a crash that follows it.
		pretty({destination, sync: true, colorize: destination.isTTY === true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss', singleLine: true}),
	);
};

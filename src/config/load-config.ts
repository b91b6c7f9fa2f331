import os from 'node:os';
import path from 'node:path';
import {z} from 'zod';
import {ConfigError} from './config-error.js';

/** Everything framefarm reads from its environment, checked once. Nothing else reads process.env. */
export type Config = z.infer<typeof configSchema>;

/** Flags a command passes; each overrides its environment variable. */
export type ConfigFlags = Partial<{
	dataDir: string;
	cacheDir: string;
	concurrency: number;
	port: number;
	host: string;
}>;

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const optionalString = z
	.string()
	.optional()
	.transform((value) => (value === undefined || value.trim() === '' ? null : value.trim()));

const configSchema = z.object({
	dataDir: z.string().min(1),
	cacheDir: z.string().min(1),
	/** Worker slots in this process: each renders one chunk at a time on its own warm browser. */
	concurrency: positiveInt,
	framesPerChunk: positiveInt,
	/** How many times a failed chunk is tried again before the render fails. */
	chunkRetries: nonNegativeInt,
	browserExecutable: optionalString,
	port: z.coerce.number().int().min(0).max(65535),
	host: z.string().min(1),
	logLevel: z.enum(['error', 'warn', 'info', 'verbose']),
});

// Where each setting comes from, so an error names what the user has to change.
const SOURCES: {[key in keyof Config]: string} = {
	dataDir: '--data-dir / FRAMEFARM_DATA_DIR',
	cacheDir: 'FRAMEFARM_CACHE_DIR',
	concurrency: '--concurrency / FRAMEFARM_CONCURRENCY',
	framesPerChunk: 'FRAMEFARM_FRAMES_PER_CHUNK',
	chunkRetries: 'FRAMEFARM_CHUNK_RETRIES',
	browserExecutable: 'FRAMEFARM_BROWSER_EXECUTABLE',
	port: '--port / FRAMEFARM_PORT',
	host: '--host / FRAMEFARM_HOST',
	logLevel: 'FRAMEFARM_LOG_LEVEL',
};

const defaultCacheDir = (env: NodeJS.ProcessEnv): string =>
	path.join(env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'framefarm');

export const loadConfig = (flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): Config => {
	const parsed = configSchema.safeParse({
		dataDir: path.resolve(flags.dataDir ?? env.FRAMEFARM_DATA_DIR ?? '.framefarm'),
		cacheDir: path.resolve(flags.cacheDir ?? env.FRAMEFARM_CACHE_DIR ?? defaultCacheDir(env)),
		concurrency: flags.concurrency ?? env.FRAMEFARM_CONCURRENCY ?? os.availableParallelism(),
		framesPerChunk: env.FRAMEFARM_FRAMES_PER_CHUNK ?? 60,
		chunkRetries: env.FRAMEFARM_CHUNK_RETRIES ?? 1,
		browserExecutable: env.FRAMEFARM_BROWSER_EXECUTABLE,
		port: flags.port ?? env.FRAMEFARM_PORT ?? 3000,
		host: flags.host ?? env.FRAMEFARM_HOST ?? '127.0.0.1',
		logLevel: env.FRAMEFARM_LOG_LEVEL ?? 'info',
	});
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		const key = issue?.path[0] as keyof Config | undefined;
		const source = key ? SOURCES[key] : 'configuration';
		throw new ConfigError(`Invalid ${source}: ${issue?.message ?? 'invalid value'}`);
	}
	return parsed.data;
};

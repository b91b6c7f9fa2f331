// The embedded backend's tables. `seq` orders the queue; chunk rows are planned at submission.
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS renders (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	id TEXT NOT NULL UNIQUE,
	owner TEXT NOT NULL,
	status TEXT NOT NULL,
	job TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	started_at INTEGER,
	finished_at INTEGER,
	total_chunks INTEGER NOT NULL,
	frames_stitched INTEGER NOT NULL DEFAULT 0,
	stitch_claimed INTEGER NOT NULL DEFAULT 0,
	out_key TEXT,
	out_size INTEGER,
	bytes_stored INTEGER NOT NULL DEFAULT 0,
	failure TEXT,
	webhook_pending INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS renders_by_status ON renders (status, seq);
CREATE INDEX IF NOT EXISTS renders_by_owner ON renders (owner, seq);
CREATE INDEX IF NOT EXISTS renders_by_finished ON renders (finished_at) WHERE finished_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS chunks (
	render_id TEXT NOT NULL,
	idx INTEGER NOT NULL,
	first_frame INTEGER NOT NULL,
	last_frame INTEGER NOT NULL,
	status TEXT NOT NULL,
	attempt INTEGER NOT NULL DEFAULT 0,
	rendered_frames INTEGER NOT NULL DEFAULT 0,
	encoded_frames INTEGER NOT NULL DEFAULT 0,
	started_at INTEGER,
	finished_at INTEGER,
	busy_ms INTEGER NOT NULL DEFAULT 0,
	worker TEXT,
	PRIMARY KEY (render_id, idx)
);
CREATE INDEX IF NOT EXISTS chunks_by_status ON chunks (status);

CREATE TABLE IF NOT EXISTS errors (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	render_id TEXT NOT NULL,
	entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS errors_by_render ON errors (render_id, seq);

CREATE TABLE IF NOT EXISTS logs (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	render_id TEXT NOT NULL,
	at INTEGER NOT NULL,
	line TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS logs_by_render ON logs (render_id, seq);
`;

/** Columns added after the first release, for data dirs made before them. */
export const ADDED_COLUMNS: Array<{table: string; column: string; definition: string}> = [
	{table: 'renders', column: 'webhook_pending', definition: 'INTEGER NOT NULL DEFAULT 0'},
];
